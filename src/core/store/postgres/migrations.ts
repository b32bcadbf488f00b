/**
 * PostgreSQL's versioned, forward-only schema migrations, numbered on their own (SQLite has its own:
 * ../sqlite/migrations.ts). `schema_migrations` records the ones applied. They run in one transaction under an
 * advisory lock, so two instances starting together apply each migration once and never see half a schema; a
 * database migrated by a newer paperboy is refused rather than written with an older idea of its tables.
 */
import type pg from 'pg';
import { LOCK_SPACE, LOCKS } from './sql.ts';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    description:
      'papers (with change numbers), aliases, meta, the button stash, subscriptions, the alert outbox, ' +
      'paused channels, source state and the poll lock',
    sql: `
      -- Change numbers of paper writes; handed out under the paper-changes advisory lock (see papers.ts).
      CREATE SEQUENCE paper_seq;
      CREATE TABLE papers (
        id text PRIMARY KEY,
        arxiv_id text UNIQUE,
        title text NOT NULL,
        title_norm text NOT NULL,
        abstract text NOT NULL DEFAULT '',
        authors jsonb NOT NULL DEFAULT '[]',
        published text,
        updated text,
        categories jsonb NOT NULL DEFAULT '[]',
        source text NOT NULL,
        upvotes integer,
        ai_summary text,
        keywords jsonb,
        github_repo text,
        added_at timestamptz NOT NULL,
        changed_at timestamptz NOT NULL,
        seq bigint NOT NULL UNIQUE
      );
      CREATE INDEX papers_title_norm ON papers (title_norm, seq);
      CREATE INDEX papers_published ON papers (published);
      -- Old ids of papers whose id changed (a title-only paper later matched to its arXiv id).
      CREATE TABLE paper_aliases (alias text PRIMARY KEY, paper_id text NOT NULL);
      CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
      CREATE TABLE stash (key text PRIMARY KEY, value text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());

      CREATE TABLE subscriptions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        platform text NOT NULL,
        channel_id text NOT NULL,
        workspace_id text,
        query text NOT NULL,
        mode text NOT NULL DEFAULT 'instant' CHECK (mode IN ('instant', 'daily')),
        digest_time text,
        time_zone text,
        created_by text,
        created_at timestamptz NOT NULL,
        last_match_at timestamptz,
        last_match_paper text
      );
      CREATE INDEX subscriptions_channel ON subscriptions (platform, channel_id);
      -- One row per (channel, paper), written in the transaction that stores the poll's new papers.
      -- state: pending -> sending (message_key chosen) -> posted (root message exists) -> sent; or dropped.
      CREATE TABLE alert_outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        platform text NOT NULL,
        channel_id text NOT NULL,
        paper_id text NOT NULL,
        subscription_id bigint NOT NULL,
        matched jsonb NOT NULL DEFAULT '[]',
        score double precision NOT NULL DEFAULT 0,
        digest boolean NOT NULL DEFAULT false,
        due_at timestamptz NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'posted', 'sent', 'dropped')),
        message_key text,
        message_ref text,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL,
        sending_at timestamptz,
        sent_at timestamptz,
        UNIQUE (platform, channel_id, paper_id)
      );
      CREATE INDEX alert_outbox_state ON alert_outbox (state, due_at);
      CREATE INDEX alert_outbox_key ON alert_outbox (message_key);
      CREATE INDEX alert_outbox_subscription ON alert_outbox (subscription_id);
      CREATE TABLE alert_channels (
        platform text NOT NULL,
        channel_id text NOT NULL,
        paused_at timestamptz,
        pause_reason text,
        PRIMARY KEY (platform, channel_id)
      );
      CREATE TABLE source_state (key text PRIMARY KEY, value text NOT NULL);
      CREATE TABLE poll_lock (
        name text PRIMARY KEY,
        owner text NOT NULL,
        pid integer NOT NULL,
        host text NOT NULL,
        expires_at bigint NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'generated TL;DRs, cached per paper and model',
    sql: `
      -- prompt_hash: the prompt (abstract included) the text answered; a changed abstract or prompt regenerates it.
      CREATE TABLE generated_tldrs (
        paper_id text NOT NULL,
        model text NOT NULL,
        prompt_hash text NOT NULL,
        text text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (paper_id, model)
      );
    `,
  },
  {
    version: 3,
    description: "installations: a distributed app's workspaces and their sealed credentials",
    sql: `
      CREATE TABLE installations (
        platform text NOT NULL,
        workspace_id text NOT NULL,
        enterprise_id text,
        org_wide boolean NOT NULL DEFAULT false,
        -- The installation with its tokens, AES-256-GCM under PAPERBOY_SECRET_KEY (src/core/secret-box.ts).
        sealed text NOT NULL,
        installed_by text,
        installed_at timestamptz NOT NULL,
        PRIMARY KEY (platform, workspace_id)
      );
    `,
  },
  {
    version: 4,
    description: "channels' libraries of saved papers",
    sql: `
      -- One row per (channel, paper): saving twice keeps the first save. id orders saves made in the same instant.
      CREATE TABLE library_items (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        platform text NOT NULL,
        channel_id text NOT NULL,
        paper_id text NOT NULL,
        saved_by text NOT NULL,
        saved_by_name text,
        saved_at timestamptz NOT NULL,
        UNIQUE (platform, channel_id, paper_id)
      );
      CREATE INDEX library_items_newest ON library_items (platform, channel_id, saved_at);
    `,
  },
  {
    version: 5,
    description: 'several instances: outbox claims, Slack events already handled',
    sql: `
      -- Who is delivering a row and until when (see AlertStore.claimDue); a claim that ran out is free again.
      ALTER TABLE alert_outbox ADD COLUMN claim_owner text, ADD COLUMN claim_expires_at timestamptz;
      CREATE INDEX alert_outbox_claim ON alert_outbox (claim_owner) WHERE claim_owner IS NOT NULL;
      -- Platform event ids already handled by some instance, kept until they expire (retries deduplicated).
      CREATE TABLE seen_events (id text PRIMARY KEY, expires_at timestamptz NOT NULL);
      CREATE INDEX seen_events_expiry ON seen_events (expires_at);
    `,
  },
  {
    version: 6,
    description:
      "data keyed by workspace as well as channel (a channel shared by two workspaces keeps each one's apart); " +
      'workspaces removed, and the times retention goes by',
    sql: `
      -- Where the migration can tell, a row gets the workspace of the subscriptions made in its channel; failing that,
      -- the platform's only workspace (one Slack workspace, one Discord server); else '' (the console; or rows the
      -- first command in that channel claims for its workspace, see WorkspaceStore.adopt).
      CREATE TEMP TABLE v6_only_workspace ON COMMIT DROP AS
        SELECT platform, min(workspace_id) AS workspace_id FROM (
          SELECT platform, workspace_id FROM subscriptions WHERE workspace_id <> ''
          UNION SELECT platform, workspace_id FROM installations
        ) known GROUP BY platform HAVING count(*) = 1;

      UPDATE subscriptions s
        SET workspace_id = COALESCE((SELECT o.workspace_id FROM v6_only_workspace o WHERE o.platform = s.platform), '')
        WHERE s.workspace_id IS NULL OR s.workspace_id = '';
      ALTER TABLE subscriptions ALTER COLUMN workspace_id SET DEFAULT '', ALTER COLUMN workspace_id SET NOT NULL;
      DROP INDEX subscriptions_channel;
      CREATE INDEX subscriptions_channel ON subscriptions (platform, workspace_id, channel_id);

      CREATE TEMP TABLE v6_channel_workspace ON COMMIT DROP AS
        SELECT DISTINCT platform, channel_id, workspace_id FROM subscriptions WHERE workspace_id <> '';

      -- The outbox stays one row per (channel, paper): a channel never gets a paper twice, whichever workspaces
      -- subscribed there. The row's workspace is its subscription's: whose credentials post it, whose pause holds it.
      ALTER TABLE alert_outbox ADD COLUMN workspace_id text NOT NULL DEFAULT '';
      UPDATE alert_outbox a SET workspace_id = COALESCE(
        (SELECT s.workspace_id FROM subscriptions s WHERE s.id = a.subscription_id),
        (SELECT min(w.workspace_id) FROM v6_channel_workspace w
          WHERE w.platform = a.platform AND w.channel_id = a.channel_id HAVING count(*) = 1),
        (SELECT o.workspace_id FROM v6_only_workspace o WHERE o.platform = a.platform),
        '');
      CREATE INDEX alert_outbox_workspace ON alert_outbox (platform, workspace_id, channel_id);

      -- A library or a pause in a channel subscribed from several workspaces was theirs in common: each keeps a copy
      -- (the copies first, then the original rows take the channel's first workspace).
      ALTER TABLE library_items ADD COLUMN workspace_id text NOT NULL DEFAULT '';
      ALTER TABLE library_items DROP CONSTRAINT library_items_platform_channel_id_paper_id_key;
      INSERT INTO library_items (platform, workspace_id, channel_id, paper_id, saved_by, saved_by_name, saved_at)
        SELECT l.platform, w.workspace_id, l.channel_id, l.paper_id, l.saved_by, l.saved_by_name, l.saved_at
        FROM library_items l JOIN v6_channel_workspace w ON w.platform = l.platform AND w.channel_id = l.channel_id
        WHERE w.workspace_id > (SELECT min(f.workspace_id) FROM v6_channel_workspace f
                                WHERE f.platform = l.platform AND f.channel_id = l.channel_id)
        ORDER BY l.id, w.workspace_id;
      UPDATE library_items l SET workspace_id = COALESCE(
        (SELECT min(w.workspace_id) FROM v6_channel_workspace w WHERE w.platform = l.platform AND w.channel_id = l.channel_id),
        (SELECT o.workspace_id FROM v6_only_workspace o WHERE o.platform = l.platform),
        '')
        WHERE l.workspace_id = '';
      ALTER TABLE library_items ADD CONSTRAINT library_items_key UNIQUE (platform, workspace_id, channel_id, paper_id);
      DROP INDEX library_items_newest;
      CREATE INDEX library_items_newest ON library_items (platform, workspace_id, channel_id, saved_at);

      ALTER TABLE alert_channels ADD COLUMN workspace_id text NOT NULL DEFAULT '';
      ALTER TABLE alert_channels DROP CONSTRAINT alert_channels_pkey;
      INSERT INTO alert_channels (platform, workspace_id, channel_id, paused_at, pause_reason)
        SELECT c.platform, w.workspace_id, c.channel_id, c.paused_at, c.pause_reason
        FROM alert_channels c JOIN v6_channel_workspace w ON w.platform = c.platform AND w.channel_id = c.channel_id
        WHERE w.workspace_id > (SELECT min(f.workspace_id) FROM v6_channel_workspace f
                                WHERE f.platform = c.platform AND f.channel_id = c.channel_id);
      UPDATE alert_channels c SET workspace_id = COALESCE(
        (SELECT min(w.workspace_id) FROM v6_channel_workspace w WHERE w.platform = c.platform AND w.channel_id = c.channel_id),
        (SELECT o.workspace_id FROM v6_only_workspace o WHERE o.platform = c.platform),
        '')
        WHERE c.workspace_id = '';
      ALTER TABLE alert_channels ADD PRIMARY KEY (platform, workspace_id, channel_id);

      -- Workspaces that removed the app: their data is deleted once the grace period after removed_at has passed,
      -- unless the app comes back first (the row is then deleted).
      CREATE TABLE workspaces (
        platform text NOT NULL,
        workspace_id text NOT NULL,
        removed_at timestamptz NOT NULL,
        removed_reason text NOT NULL,
        PRIMARY KEY (platform, workspace_id)
      );
      -- Retention: stash entries by when a message last carried them.
      CREATE INDEX stash_created ON stash (created_at);
    `,
  },
  {
    version: 7,
    description:
      'alerts never silently lost: papers listed by a poll source, dead letters, reconciliation rounds, claim fencing',
    sql: `
      -- When a poll source first listed the paper as news: it alerts then, however long the store has held it.
      -- Papers stored before count as listed, so upgrading never alerts the old corpus.
      ALTER TABLE papers ADD COLUMN listed_at timestamptz;
      UPDATE papers SET listed_at = added_at;
      -- 'dead': given up after its retries, with its reason in last_error.
      ALTER TABLE alert_outbox DROP CONSTRAINT alert_outbox_state_check;
      ALTER TABLE alert_outbox ADD CONSTRAINT alert_outbox_state_check
        CHECK (state IN ('pending', 'sending', 'posted', 'sent', 'dropped', 'dead'));
      -- reconcile_rounds: drains in a row that could not tell whether the row's message was posted.
      -- claim_token: the fencing token of the claim on the row; every claim takes a larger one from the sequence.
      ALTER TABLE alert_outbox ADD COLUMN dead_at timestamptz,
        ADD COLUMN reconcile_rounds integer NOT NULL DEFAULT 0,
        ADD COLUMN claim_token bigint;
      CREATE SEQUENCE alert_claim_token;
    `,
  },
  {
    version: 8,
    description: "feeds: channels' 👎 feedback, papers' upvotes and comments, alert reasons, channel notices",
    sql: `
      -- One 👎 per (channel as one workspace sees it, paper, person), keyed like library_items. id orders what was given in the same instant.
      CREATE TABLE paper_feedback (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        platform text NOT NULL,
        workspace_id text NOT NULL DEFAULT '',
        channel_id text NOT NULL,
        paper_id text NOT NULL,
        given_by text NOT NULL,
        given_by_name text,
        given_at timestamptz NOT NULL,
        UNIQUE (platform, workspace_id, channel_id, paper_id, given_by)
      );
      CREATE INDEX paper_feedback_newest ON paper_feedback (platform, workspace_id, channel_id, given_at);
      -- A source's counts for a paper (Hugging Face upvotes, comments), updated in place on every poll.
      CREATE TABLE paper_signals (
        paper_id text NOT NULL,
        source text NOT NULL,
        featured_on text NOT NULL,
        upvotes integer NOT NULL,
        comments integer,
        first_seen_at timestamptz NOT NULL,
        as_of timestamptz NOT NULL,
        PRIMARY KEY (paper_id, source)
      );
      CREATE INDEX paper_signals_featured ON paper_signals (source, featured_on);
      -- Why an alert came, keyed like alert_outbox's (channel, paper); a Why (src/core/present/why.ts).
      CREATE TABLE alert_reasons (
        platform text NOT NULL,
        channel_id text NOT NULL,
        paper_id text NOT NULL,
        reason jsonb NOT NULL,
        PRIMARY KEY (platform, channel_id, paper_id)
      );
      -- Short lines posted in a channel once each (with the credentials of the workspace it is for): state pending -> sending -> sent, or dropped.
      CREATE TABLE channel_notices (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        platform text NOT NULL,
        workspace_id text NOT NULL DEFAULT '',
        channel_id text NOT NULL,
        key text NOT NULL,
        text text NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'dropped')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL,
        sent_at timestamptz,
        UNIQUE (platform, workspace_id, channel_id, key)
      );
      CREATE INDEX channel_notices_open ON channel_notices (platform, state);
      -- Subscriptions that post a line on a day their digest found nothing (--quiet-note).
      CREATE TABLE quiet_notes (
        subscription_id bigint PRIMARY KEY REFERENCES subscriptions (id) ON DELETE CASCADE
      );
    `,
  },
  {
    version: 9,
    description: 'papers keep their DOI: one DOI is one paper, whatever id each record came under',
    sql: `
      ALTER TABLE papers ADD COLUMN doi text;
      -- A paper stored under its DOI (records' DOI ids were kept bare and lower-cased), or merged with a record that
      -- came under one (that DOI is its alias).
      UPDATE papers SET doi = id WHERE id ~ '^10\\.[0-9]{4,9}/\\S+$';
      UPDATE papers p SET doi = (
          SELECT min(a.alias) FROM paper_aliases a WHERE a.paper_id = p.id AND a.alias ~ '^10\\.[0-9]{4,9}/\\S+$')
        WHERE doi IS NULL;
      CREATE INDEX papers_doi ON papers (doi, seq);
    `,
  },
];

/** Brings the schema up to date; throws (before changing anything) when the database is newer than `all`. */
export async function migrate(pool: pg.Pool, all: readonly Migration[] = migrations): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      // A migration may rewrite a big table, or wait for another instance's: the session's limits are for everyday
      // statements, lifted for this transaction only.
      await client.query('SET LOCAL statement_timeout = 0');
      await client.query('SET LOCAL lock_timeout = 0');
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_SPACE, LOCKS.migrations]);
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        description text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
      const current = rows[0]?.v ?? 0;
      const latest = Math.max(0, ...all.map((m) => m.version));
      if (current > latest)
        throw new Error(
          `the database's schema is version ${current}, newer than this paperboy knows (${latest}): upgrade paperboy`,
        );
      for (const migration of [...all].sort((a, b) => a.version - b.version)) {
        if (migration.version <= current) continue;
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, description) VALUES ($1, $2)', [
          migration.version,
          migration.description,
        ]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    client.release();
  }
}
