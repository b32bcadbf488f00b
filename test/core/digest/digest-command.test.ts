/**
 * The thread digest through the real dispatcher and core: when "summarize" digests and when it gives one paper's
 * summary, what a digest lists (order, who shared, TL;DR, common ground, the rest counted), and papers the corpus
 * lacks: fetched from the arXiv fake and stored, or listed by link when that fails.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DIGEST_HELP } from '../../../commands/help.ts';
import type { Invoker } from '../../../src/core/command.ts';
import type { PaperInput } from '../../../src/core/papers/paper.ts';
import type { Block, PaperCard, Reply } from '../../../src/core/reply.ts';
import type { RequestGate } from '../../../src/core/sources/http.ts';
import { type ThreadMessage, type ThreadRead, ThreadReadError } from '../../../src/core/thread.ts';
import type { Paperboy } from '../../../src/paperboy.ts';
import { type PaperSourceServer, renderAtomFeed, startPaperSourceServer } from '../../fakes/paper-source-server.ts';
import { testPaperboy } from '../../support/paperboy.ts';

const paper = (n: number, title: string, abstract: string): PaperInput => ({
  arxivId: `2502.0000${n}`,
  title,
  abstract,
  authors: [`Author ${n}`],
  published: `2025-02-0${n}`,
  categories: ['cs.LG'],
});
const PAPERS = [
  paper(1, 'LoRA Adapters for Diffusion Transformers', 'We propose LoRA adapters for diffusion transformers.'),
  paper(2, 'Diffusion Sampling with Adapters', 'We show that adapters speed up diffusion sampling by 2x.'),
  paper(3, 'Speculative Decoding', 'We present speculative decoding for language models, 3x faster.'),
];

let pb: Paperboy;
before(async () => {
  pb = await testPaperboy({ papers: PAPERS, builtin: false });
});
after(() => pb.close());

let ts = 0;
const says = (author: string, text: string, paperIds: string[] = []): ThreadMessage => ({
  author,
  text,
  links: [],
  paperIds,
  ts: String(++ts),
});

/** An invoker in a thread holding `messages`; `reads` counts how often the thread was read. */
function inThread(messages: ThreadMessage[] | (() => Promise<ThreadRead>)) {
  const state = { reads: 0 };
  const invoker: Invoker = {
    platform: 'slack',
    userId: 'U1',
    channelId: 'C1',
    thread: {
      read: async () => {
        state.reads++;
        return typeof messages === 'function' ? messages() : { messages };
      },
    },
  };
  return { invoker, state };
}

const cards = (reply: Reply): PaperCard[] => reply.blocks.flatMap((b) => (b.kind === 'paper' ? [b.card] : []));
const texts = (reply: Reply): string[] =>
  reply.blocks.flatMap((b: Block) =>
    b.kind === 'text' ? [b.text] : b.kind === 'section' ? [`${b.title}: ${b.text}`] : [],
  );
const isSummary = (reply: Reply) => reply.blocks.some((b) => b.kind === 'section' && b.title === 'TL;DR');
const isError = (reply: Reply) =>
  reply.visibility === 'ephemeral' && reply.blocks.every((b) => b.kind === 'text' && b.style === 'error');

const CARD_THREAD = [
  says('paperboy', 'LoRA Adapters for Diffusion Transformers', ['2502.00001']),
  says('Ada', 'nice!'),
];
const DISCUSSION = [
  ...CARD_THREAD,
  says('Alan', 'related: https://arxiv.org/abs/2502.00002v2'),
  says('Grace', 'and 2502.00003 for decoding; also https://huggingface.co/papers/2502.00002'),
];

describe('GIVEN a mention in a thread', () => {
  test('WHEN "summarize" in a card thread that mentions no other paper THEN that paper\'s summary', async () => {
    const { invoker, state } = inThread(CARD_THREAD);
    const reply = await pb.dispatcher.runMention('summarize', invoker, '2502.00001');
    assert.ok(isSummary(reply), texts(reply).join('\n'));
    assert.equal(cards(reply).length, 0, 'no digest cards');
    assert.equal(state.reads, 1, 'the thread was read to find out');
  });

  test('WHEN a bare mention in a card thread THEN its summary, without reading the thread', async () => {
    const { invoker, state } = inThread(DISCUSSION);
    const reply = await pb.dispatcher.runMention('', invoker, '2502.00001');
    assert.ok(isSummary(reply));
    assert.equal(state.reads, 0);
  });

  for (const words of ['summarize', 'tl;dr', 'TLDR', 'summary', 'digest', 'summarize this thread!']) {
    test(`WHEN "${words}" in a thread that mentions several papers THEN the digest`, async () => {
      const { invoker } = inThread(DISCUSSION);
      const reply = await pb.dispatcher.runMention(words, invoker, '2502.00001');
      assert.equal(reply.visibility, 'public');
      assert.deepEqual(
        cards(reply).map((card) => [card.paperId, card.sharedBy]),
        [
          ['2502.00001', 'paperboy'],
          ['2502.00002', 'Alan'],
          ['2502.00003', 'Grace'],
        ],
      );
      assert.match(texts(reply)[0]!, /^Thread digest: 3 papers/);
    });
  }

  test('WHEN "digest" in a one-paper thread THEN the digest all the same', async () => {
    const { invoker } = inThread(CARD_THREAD);
    const reply = await pb.dispatcher.runMention('digest', invoker, '2502.00001');
    assert.deepEqual(
      cards(reply).map((card) => card.paperId),
      ['2502.00001'],
    );
  });

  test('THEN each listed paper has its linked title, authors, TL;DR and sharer; then common ground', async () => {
    const { invoker } = inThread(DISCUSSION);
    const reply = await pb.dispatcher.runMention('summarize', invoker);
    const [first] = cards(reply);
    const stored = (await pb.papers.get('2502.00001'))!;
    assert.deepEqual(first, {
      paperId: '2502.00001',
      title: 'LoRA Adapters for Diffusion Transformers',
      url: 'https://arxiv.org/abs/2502.00001',
      authors: 'Author 1',
      date: '2025-02-01',
      gist: pb.services.summarize(stored).tldr,
      sharedBy: 'paperboy',
      actions: [],
    });
    assert.ok(
      texts(reply).includes('Common ground: adapters (2 papers) · diffusion (2 papers)'),
      texts(reply).join('\n'),
    );
    assert.match(reply.fallback, /Thread digest: 3 papers.*LoRA Adapters/);
  });

  test('WHEN a thread mentions no paper THEN a short private answer says so', async () => {
    const { invoker } = inThread([says('Ada', 'anyone around?'), says('Alan', 'see https://example.com/2502')]);
    const reply = await pb.dispatcher.runMention('summarize', invoker);
    assert.ok(isError(reply));
    assert.match(texts(reply)[0]!, /I found no papers in this thread/);
  });

  test('WHEN the platform could not show all of the thread THEN its note comes with the answer', async () => {
    const notice = 'I could only read messages that mention me.';
    const { invoker } = inThread(async () => ({ messages: [says('Ada', 'hm')], notice }));
    const reply = await pb.dispatcher.runMention('digest', invoker);
    assert.match(texts(reply)[0]!, /I found no papers in this thread.*I could only read messages that mention me\./);
    const { invoker: withPapers } = inThread(async () => ({ messages: DISCUSSION, notice }));
    assert.ok(texts(await pb.dispatcher.runMention('digest', withPapers)).includes(notice));
  });

  test(
    'WHEN the thread cannot be read ' + 'THEN the platform\'s reason; "summarize" in a card thread still summarizes',
    async () => {
      const refuse = async (): Promise<ThreadRead> => {
        throw new ThreadReadError('I need the channels:history scope.');
      };
      const digest = await pb.dispatcher.runMention('digest', inThread(refuse).invoker, '2502.00001');
      assert.ok(isError(digest));
      assert.equal(texts(digest)[0], 'I need the channels:history scope.');
      assert.ok(isSummary(await pb.dispatcher.runMention('summarize', inThread(refuse).invoker, '2502.00001')));
    },
  );

  test('WHEN a thread mentions 40 papers THEN the first 10 are listed and the other 30 counted', async () => {
    const messages = Array.from({ length: 40 }, (_, i) =>
      says(`user${i % 4}`, `paper ${2503_10000 + i}`.replace(/(\d{4})(\d{5})/, '$1.$2')),
    );
    const reply = await pb.dispatcher.runMention('digest', inThread(messages).invoker);
    assert.equal(cards(reply).length, 10);
    assert.equal(cards(reply)[0]!.paperId, '2503.10000');
    assert.equal(cards(reply)[9]!.paperId, '2503.10009');
    assert.ok(texts(reply).includes('…and 30 more papers'));
    assert.match(texts(reply)[0]!, /Thread digest: 40 papers/);
  });
});

describe('GIVEN a mention that is not in a thread', () => {
  const plain: Invoker = { platform: 'slack', userId: 'U1', channelId: 'C1' };

  test('WHEN "summarize" THEN it says to ask in a thread', async () => {
    const reply = await pb.dispatcher.runMention('summarize', plain);
    assert.ok(isError(reply));
    assert.match(texts(reply)[0]!, /Mention me inside a thread/);
  });

  test('WHEN "summarize" names a paper (a link: the adapter passes it, not the thread) THEN its summary', async () => {
    assert.ok(isSummary(await pb.dispatcher.runMention('summarize', plain, '2502.00002')));
  });
});

describe('GIVEN papers the corpus lacks', () => {
  let arxiv: PaperSourceServer;
  let fetching: Paperboy;
  const noWait: RequestGate = { wait: async () => {} };
  const FOUND = {
    id: '2504.00001',
    title: 'Adapters All the Way Down',
    abstract: 'We introduce stacked adapters for diffusion transformers. Stacked adapters halve memory.',
    authors: ['Edsger Dijkstra'],
    categories: ['cs.LG'],
    published: '2025-04-01',
  };

  before(async () => {
    arxiv = await startPaperSourceServer();
    fetching = await testPaperboy({
      papers: PAPERS,
      builtin: false,
      open: { arxivLookup: { apiUrl: arxiv.url, gate: noWait } },
    });
  });
  after(async () => {
    await fetching.close();
    await arxiv.close();
  });

  test(
    'WHEN arXiv knows one ' +
      'THEN it is fetched by id, stored, searchable and listed; an id arXiv lacks is listed by link',
    async () => {
      arxiv.route('/api/query', (request) => ({
        body: renderAtomFeed(request.query.get('id_list')?.includes(FOUND.id) ? [FOUND] : []),
      }));
      const { invoker } = inThread([
        says('Ada', 'https://arxiv.org/abs/2502.00001'),
        says('Alan', `new one: https://www.alphaxiv.org/abs/${FOUND.id}v1 and 2504.09999`),
      ]);
      const reply = await fetching.dispatcher.runMention('digest', invoker);
      const lookups = arxiv.requests.filter((r) => r.path === '/api/query');
      assert.equal(lookups.length, 1, 'one look-up for every unknown id');
      assert.deepEqual(lookups[0]!.query.get('id_list')?.split(','), [FOUND.id, '2504.09999']);
      const [, found, missing] = cards(reply);
      assert.equal(found?.title, FOUND.title);
      assert.equal(found?.sharedBy, 'Alan');
      assert.equal((await fetching.papers.get(FOUND.id))?.title, FOUND.title, 'stored');
      assert.equal((await fetching.services.search.search('stacked adapters')).hits[0]?.paper.id, FOUND.id, 'indexed');
      assert.deepEqual(
        { title: missing?.title, url: missing?.url, gist: missing?.gist },
        {
          title: 'arXiv:2504.09999',
          url: 'https://arxiv.org/abs/2504.09999',
          gist: 'Not in the corpus (not found on arXiv).',
        },
      );
    },
  );

  test('WHEN arXiv fails THEN the papers are listed by the link they were shared as, "not in the corpus"', async () => {
    arxiv.route('/api/query', { status: 500, body: 'Internal Server Error' });
    const { invoker } = inThread([says('Ada', 'https://huggingface.co/papers/2504.05555 vs 2502.00002')]);
    const reply = await fetching.dispatcher.runMention('digest', invoker);
    const [missing, known] = cards(reply);
    assert.equal(missing?.url, 'https://huggingface.co/papers/2504.05555');
    assert.equal(missing?.gist, 'Not in the corpus (the arXiv look-up failed (http)).');
    assert.equal(known?.title, 'Diffusion Sampling with Adapters');
    assert.equal(await fetching.papers.get('2504.05555'), undefined);
  });

  test(
    'WHEN no arXiv look-up is configured ' + 'THEN nothing is fetched and the paper is listed as not in the corpus',
    async () => {
      const { invoker } = inThread([says('Ada', '2504.07777 and 2502.00003')]);
      const reply = await pb.dispatcher.runMention('summarize', invoker);
      assert.equal(cards(reply)[0]?.gist, 'Not in the corpus.');
    },
  );
});

test('GIVEN /paper help THEN it lists the digest and says when "summarize" means it', async () => {
  const help = await pb.dispatcher.run('help', {}, { platform: 'slack', userId: 'U1', channelId: 'C1' });
  const text = texts(help).join('\n');
  assert.ok(text.includes('@paperboy digest (in a thread) — In a thread: each paper it mentions'), text);
  assert.ok(text.includes(DIGEST_HELP));
  assert.match(DIGEST_HELP, /about one paper it gives that paper's summary instead; @paperboy digest .* always lists/);
});
