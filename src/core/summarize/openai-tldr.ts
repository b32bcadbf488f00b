/**
 * The TL;DR generator over any OpenAI-compatible chat endpoint (OpenAI, Ollama, vLLM, llama.cpp's server) through
 * the official `openai` client. It lives in the core beside the other clients of outside services (the arXiv and
 * Hugging Face sources): the core keeps out chat platforms, not the services it reads papers and text from.
 * Every setting is passed in, so the client never falls back on OPENAI_* variables of its own.
 */
import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { TldrGenerationError, type TldrGenerator } from './generated-tldr.ts';
import type { TldrPrompt } from './llm-prompt.ts';

export interface LlmConfig {
  /** The API's base URL, e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1` (LLM_BASE_URL). */
  baseUrl: string;
  /** LLM_MODEL, e.g. `gpt-4o-mini` or `llama3.1`. */
  model: string;
  /** LLM_API_KEY; local servers (Ollama, llama.cpp) need none. */
  apiKey?: string;
}

/** Room for one sentence of about 40 words, with a margin; a model that rambles is cut off here. */
const MAX_TOKENS = 160;

export function createOpenAiTldrGenerator(config: LlmConfig): TldrGenerator {
  const client = new OpenAI({
    baseURL: config.baseUrl,
    // The client insists on a key; without one it gets a placeholder and sends no Authorization header at all.
    apiKey: config.apiKey ?? 'none',
    ...(config.apiKey ? {} : { defaultHeaders: { Authorization: null } }),
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    // One attempt: the caller's timeout is short and the extractive TL;DR is a fine answer meanwhile.
    maxRetries: 0,
    logLevel: 'off',
  });
  return {
    model: config.model,
    async generate(prompt: TldrPrompt, signal: AbortSignal): Promise<string> {
      let completion: unknown;
      try {
        completion = await client.chat.completions.create(
          {
            model: config.model,
            messages: [
              { role: 'system', content: prompt.system },
              { role: 'user', content: prompt.user },
            ],
            max_tokens: MAX_TOKENS,
            temperature: 0.2,
          },
          { signal },
        );
      } catch (error) {
        throw new TldrGenerationError(failureReason(error));
      }
      return answerText(completion);
    },
  };
}

/** The first choice's text; a TldrGenerationError when the answer is not a chat completion with text. */
function answerText(completion: unknown): string {
  const choices = (completion as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices) || choices.length === 0) throw new TldrGenerationError('no choices in the answer');
  const content = (choices[0] as { message?: { content?: unknown } } | null)?.message?.content;
  if (typeof content !== 'string') throw new TldrGenerationError('no text in the answer');
  return content;
}

/** Why a call failed, in words safe for a log line: the server's own error text may echo the key back. */
function failureReason(error: unknown): string {
  if (error instanceof APIUserAbortError) return 'cancelled (timeout)';
  if (error instanceof APIConnectionError) return 'could not connect';
  if (error instanceof APIError) return `HTTP ${error.status ?? 'error'}`;
  if (error instanceof SyntaxError) return 'answer is not JSON';
  return (error as Error)?.name || 'unknown error';
}
