/**
 * `npm run discord:register`: registers paperboy's slash commands with Discord, in DISCORD_GUILD_ID
 * (instant; for development) or globally, and only when they changed. Configuration comes from
 * src/config.ts (environment / .env), like everything else.
 */
import { pathToFileURL } from 'node:url';
import { DiscordAPIError } from 'discord.js';
import { commands } from '../../../commands/index.ts';
import { type Config, ConfigError, loadConfig } from '../../config.ts';
import { createLogger, describeError, logFormatFor } from '../../core/logger.ts';
import { registerCommands } from './register.ts';

export async function main(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const logger = createLogger({
    level: config.logLevel,
    secrets: config.secrets,
    format: logFormatFor(config.logFormat, 'stderr'),
  });
  if (!config.discord) {
    process.stderr.write('Discord is not configured: set DISCORD_TOKEN and DISCORD_APP_ID (see docs/discord.md).\n');
    return 2;
  }
  try {
    const result = await registerCommands(config.discord, commands, logger);
    const where =
      result.scope === 'guild' ? `in server ${config.discord.guildId}` : 'globally (may take up to an hour to appear)';
    const names = result.commands.map((name) => `/${name}`).join(', ');
    process.stdout.write(`Slash commands ${result.status} ${where}: ${names}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`Registration failed: ${explain(error)}\n`);
    return 1;
  }
}

function explain(error: unknown): string {
  if (error instanceof DiscordAPIError) {
    if (error.status === 401) return 'Discord rejected DISCORD_TOKEN (reset it in the developer portal, Bot tab).';
    if (error.code === 50001 || error.status === 403) {
      return (
        'no access: invite the bot to DISCORD_GUILD_ID with the "bot ' +
        'applications.commands" scopes, and check DISCORD_APP_ID.'
      );
    }
    return `${error.status} ${error.code}: ${error.message}`;
  }
  return describeError(error);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => (process.exitCode = code),
    (error) => {
      process.stderr.write(`Registration failed: ${describeError(error)}\n`);
      process.exitCode = 1;
    },
  );
}
