/**
 * SQLite's versioned, forward-only schema migrations, applied in order inside a transaction; `user_version` records
 * progress. (PostgreSQL has its own, numbered separately: ../postgres/migrations.ts.)
 */
import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    description: 'papers, aliases, metadata and the button stash',
    sql: `
      CREATE TABLE papers (
        id TEXT PRIMARY KEY,
        arxiv_id TEXT UNIQUE,
        title TEXT NOT NULL,
        title_norm TEXT NOT NULL,
        abstract TEXT NOT NULL DEFAULT '',
        authors TEXT NOT NULL DEFAULT '[]',
        published TEXT,
        updated TEXT,
        categories TEXT NOT NULL DEFAULT '[]',
        source TEXT NOT NULL,
        upvotes INTEGER,
        ai_summary TEXT,
        keywords TEXT,
        github_repo TEXT,
        added_at TEXT NOT NULL,
        changed_at TEXT NOT NULL,
        seq INTEGER NOT NULL
      );
      CREATE INDEX papers_title_norm ON papers(title_norm);
      CREATE INDEX papers_seq ON papers(seq);
      CREATE INDEX papers_published ON papers(published);
      -- Old ids of papers whose id changed (a title-only paper later matched to its arXiv id).
      CREATE TABLE paper_aliases (alias TEXT PRIMARY KEY, paper_id TEXT NOT NULL);
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE stash (key TEXT PRIMARY KEY, value TEXT NOT NULL, created_at TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    description: 'alerts: subscriptions, the alert outbox, paused channels, source state and the poll lock',
    sql: `
      CREATE TABLE subscriptions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        platform TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        workspace_id TEXT,
        query TEXT NOT NULL,
        mode TEXT NOT NULL DEFAULT 'instant',
        digest_time TEXT,
        time_zone TEXT,
        created_by TEXT,
        created_at TEXT NOT NULL,
        last_match_at TEXT,
        last_match_paper TEXT
      );
      CREATE INDEX subscriptions_channel ON subscriptions(platform, channel_id);
      -- One row per (channel, paper), written in the transaction that stores the poll's new papers.
      -- state: pending -> sending (message_key chosen) -> posted (root message exists) -> sent; or dropped.
      CREATE TABLE alert_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        platform TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        paper_id TEXT NOT NULL,
        subscription_id INTEGER NOT NULL,
        matched TEXT NOT NULL DEFAULT '[]',
        score REAL NOT NULL DEFAULT 0,
        digest INTEGER NOT NULL DEFAULT 0,
        due_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        message_key TEXT,
        message_ref TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        sending_at TEXT,
        sent_at TEXT,
        UNIQUE (platform, channel_id, paper_id)
      );
      CREATE INDEX alert_outbox_state ON alert_outbox(state, due_at);
      CREATE INDEX alert_outbox_key ON alert_outbox(message_key);
      CREATE TABLE alert_channels (
        platform TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        paused_at TEXT,
        pause_reason TEXT,
        PRIMARY KEY (platform, channel_id)
      );
      CREATE TABLE source_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE poll_lock (
        name TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    description: 'generated TL;DRs, cached per paper and model',
    sql: `
      -- prompt_hash: the prompt (abstract included) the text answered; a changed abstract or prompt regenerates it.
      CREATE TABLE generated_tldrs (
        paper_id TEXT NOT NULL,
        model TEXT NOT NULL,
        prompt_hash TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (paper_id, model)
      );
    `,
  },
  {
    version: 4,
    description: "installations: a distributed app's workspaces and their sealed credentials",
    sql: `
      CREATE TABLE installations (
        platform TEXT NOT NULL,
        workspace_id TEXT NOT NULL,
        enterprise_id TEXT,
        org_wide INTEGER NOT NULL DEFAULT 0,
        -- The installation with its tokens, AES-256-GCM under PAPERBOY_SECRET_KEY (src/core/secret-box.ts).
        sealed TEXT NOT NULL,
        installed_by TEXT,
        installed_at TEXT NOT NULL,
        PRIMARY KEY (platform, workspace_id)
      );
    `,
  },
  {
    version: 5,
    description: "channels' libraries of saved papers",
    sql: `
      -- One row per (channel, paper): saving twice keeps the first save. id orders saves made in the same instant.
      CREATE TABLE library_items (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        platform TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        paper_id TEXT NOT NULL,
        saved_by TEXT NOT NULL,
        saved_by_name TEXT,
        saved_at TEXT NOT NULL,
        UNIQUE (platform, channel_id, paper_id)
      );
      CREATE INDEX library_items_newest ON library_items(platform, channel_id, saved_at);
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
      CREATE TEMP TABLE v6_only_workspace AS
        SELECT platform, MIN(workspace_id) AS workspace_id FROM (
          SELECT platform, workspace_id FROM subscriptions WHERE workspace_id <> ''
          UNION SELECT platform, workspace_id FROM installations
        ) GROUP BY platform HAVING COUNT(*) = 1;

      CREATE TABLE subscriptions_v6 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        platform TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        workspace_id TEXT NOT NULL DEFAULT '',
        query TEXT NOT NULL,
        mode TEXT NOT NULL DEFAULT 'instant',
        digest_time TEXT,
        time_zone TEXT,
        created_by TEXT,
        created_at TEXT NOT NULL,
        last_match_at TEXT,
        last_match_paper TEXT
      );
      INSERT INTO subscriptions_v6
        SELECT s.id, s.platform, s.channel_id, COALESCE(NULLIF(s.workspace_id, ''), o.workspace_id, ''), s.query, s.mode,
          s.digest_time, s.time_zone, s.created_by, s.created_at, s.last_match_at, s.last_match_paper
        FROM subscriptions s LEFT JOIN v6_only_workspace o ON o.platform = s.platform ORDER BY s.id;
      -- AUTOINCREMENT's high-water mark goes along: the id of a deleted subscription is never handed out again.
      DELETE FROM sqlite_sequence WHERE name = 'subscriptions_v6';
      INSERT INTO sqlite_sequence (name, seq) SELECT 'subscriptions_v6', seq FROM sqlite_sequence WHERE name = 'subscriptions';
      DROP TABLE subscriptions;
      ALTER TABLE subscriptions_v6 RENAME TO subscriptions;
      CREATE INDEX subscriptions_channel ON subscriptions(platform, workspace_id, channel_id);

      CREATE TEMP TABLE v6_channel_workspace AS
        SELECT DISTINCT platform, channel_id, workspace_id FROM subscriptions WHERE workspace_id <> '';

      -- The outbox stays one row per (channel, paper): a channel never gets a paper twice, whichever workspaces
      -- subscribed there. The row's workspace is its subscription's: whose credentials post it, whose pause holds it.
      ALTER TABLE alert_outbox ADD COLUMN workspace_id TEXT NOT NULL DEFAULT '';
      UPDATE alert_outbox SET workspace_id = COALESCE(
        (SELECT s.workspace_id FROM subscriptions s WHERE s.id = alert_outbox.subscription_id),
        (SELECT MIN(w.workspace_id) FROM v6_channel_workspace w
          WHERE w.platform = alert_outbox.platform AND w.channel_id = alert_outbox.channel_id HAVING COUNT(*) = 1),
        (SELECT o.workspace_id FROM v6_only_workspace o WHERE o.platform = alert_outbox.platform),
        '');
      CREATE INDEX alert_outbox_workspace ON alert_outbox(platform, workspace_id, channel_id);

      -- A library or a pause in a channel subscribed from several workspaces was theirs in common: each keeps a copy.
      CREATE TABLE library_items_v6 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        platform TEXT NOT NULL,
        workspace_id TEXT NOT NULL DEFAULT '',
        channel_id TEXT NOT NULL,
        paper_id TEXT NOT NULL,
        saved_by TEXT NOT NULL,
        saved_by_name TEXT,
        saved_at TEXT NOT NULL,
        UNIQUE (platform, workspace_id, channel_id, paper_id)
      );
      INSERT INTO library_items_v6 (platform, workspace_id, channel_id, paper_id, saved_by, saved_by_name, saved_at)
        SELECT l.platform, COALESCE(w.workspace_id, o.workspace_id, ''), l.channel_id, l.paper_id, l.saved_by,
          l.saved_by_name, l.saved_at
        FROM library_items l
        LEFT JOIN v6_channel_workspace w ON w.platform = l.platform AND w.channel_id = l.channel_id
        LEFT JOIN v6_only_workspace o ON o.platform = l.platform
        ORDER BY l.id, w.workspace_id;
      DROP TABLE library_items;
      ALTER TABLE library_items_v6 RENAME TO library_items;
      CREATE INDEX library_items_newest ON library_items(platform, workspace_id, channel_id, saved_at);

      CREATE TABLE alert_channels_v6 (
        platform TEXT NOT NULL,
        workspace_id TEXT NOT NULL DEFAULT '',
        channel_id TEXT NOT NULL,
        paused_at TEXT,
        pause_reason TEXT,
        PRIMARY KEY (platform, workspace_id, channel_id)
      );
      INSERT INTO alert_channels_v6 (platform, workspace_id, channel_id, paused_at, pause_reason)
        SELECT c.platform, COALESCE(w.workspace_id, o.workspace_id, ''), c.channel_id, c.paused_at, c.pause_reason
        FROM alert_channels c
        LEFT JOIN v6_channel_workspace w ON w.platform = c.platform AND w.channel_id = c.channel_id
        LEFT JOIN v6_only_workspace o ON o.platform = c.platform;
      DROP TABLE alert_channels;
      ALTER TABLE alert_channels_v6 RENAME TO alert_channels;

      DROP TABLE temp.v6_only_workspace;
      DROP TABLE temp.v6_channel_workspace;

      -- Workspaces that removed the app: their data is deleted once the grace period after removed_at has passed,
      -- unless the app comes back first (the row is then deleted).
      CREATE TABLE workspaces (
        platform TEXT NOT NULL,
        workspace_id TEXT NOT NULL,
        removed_at TEXT NOT NULL,
        removed_reason TEXT NOT NULL,
        PRIMARY KEY (platform, workspace_id)
      );
      -- Retention: stash entries by when a message last carried them.
      CREATE INDEX stash_created ON stash(created_at);
    `,
  },
  {
    version: 7,
    description: 'alerts never silently lost: papers listed by a poll source, dead letters, reconciliation rounds',
    sql: `
      -- When a poll source first listed the paper as news: it alerts then, however long the store has held it.
      -- Papers stored before count as listed, so upgrading never alerts the old corpus.
      ALTER TABLE papers ADD COLUMN listed_at TEXT;
      UPDATE papers SET listed_at = added_at;
      -- state may now also be 'dead' (given up after its retries, with its reason in last_error).
      ALTER TABLE alert_outbox ADD COLUMN dead_at TEXT;
      -- Drains in a row that could not tell whether the row's message was posted.
      ALTER TABLE alert_outbox ADD COLUMN reconcile_rounds INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 8,
    description: "feeds: channels' 👎 feedback, papers' upvotes and comments, alert reasons, channel notices",
    sql: `
      -- One 👎 per (channel as one workspace sees it, paper, person), keyed like library_items. id orders what was given in the same instant.
      CREATE TABLE paper_feedback (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        platform TEXT NOT NULL,
        workspace_id TEXT NOT NULL DEFAULT '',
        channel_id TEXT NOT NULL,
        paper_id TEXT NOT NULL,
        given_by TEXT NOT NULL,
        given_by_name TEXT,
        given_at TEXT NOT NULL,
        UNIQUE (platform, workspace_id, channel_id, paper_id, given_by)
      );
      CREATE INDEX paper_feedback_newest ON paper_feedback(platform, workspace_id, channel_id, given_at);
      -- A source's counts for a paper (Hugging Face upvotes, comments), updated in place on every poll.
      CREATE TABLE paper_signals (
        paper_id TEXT NOT NULL,
        source TEXT NOT NULL,
        featured_on TEXT NOT NULL,
        upvotes INTEGER NOT NULL,
        comments INTEGER,
        first_seen_at TEXT NOT NULL,
        as_of TEXT NOT NULL,
        PRIMARY KEY (paper_id, source)
      );
      CREATE INDEX paper_signals_featured ON paper_signals(source, featured_on);
      -- Why an alert came, keyed like alert_outbox's (channel, paper); JSON of a Why (src/core/present/why.ts).
      CREATE TABLE alert_reasons (
        platform TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        paper_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        PRIMARY KEY (platform, channel_id, paper_id)
      );
      -- Short lines posted in a channel once each (with the credentials of the workspace it is for): state pending -> sending -> sent, or dropped.
      CREATE TABLE channel_notices (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        platform TEXT NOT NULL,
        workspace_id TEXT NOT NULL DEFAULT '',
        channel_id TEXT NOT NULL,
        key TEXT NOT NULL,
        text TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        UNIQUE (platform, workspace_id, channel_id, key)
      );
      CREATE INDEX channel_notices_open ON channel_notices(platform, state);
      -- Subscriptions that post a line on a day their digest found nothing (--quiet-note).
      CREATE TABLE quiet_notes (
        subscription_id INTEGER PRIMARY KEY REFERENCES subscriptions(id) ON DELETE CASCADE
      );
    `,
  },
  {
    version: 9,
    description: 'papers keep their DOI: one DOI is one paper, whatever id each record came under',
    sql: `
      ALTER TABLE papers ADD COLUMN doi TEXT;
      -- A paper stored under its DOI (records' DOI ids were kept bare and lower-cased: 10.<4-9 digits>/<suffix>)...
      UPDATE papers SET doi = id
        WHERE id GLOB '10.*/?*' AND instr(id, '/') BETWEEN 8 AND 13
          AND substr(id, 4, instr(id, '/') - 4) NOT GLOB '*[^0-9]*' AND id NOT GLOB '* *';
      -- ...or merged with a record that came under one (that DOI is its alias).
      UPDATE papers SET doi = (
          SELECT min(a.alias) FROM paper_aliases a WHERE a.paper_id = papers.id
            AND a.alias GLOB '10.*/?*' AND instr(a.alias, '/') BETWEEN 8 AND 13
            AND substr(a.alias, 4, instr(a.alias, '/') - 4) NOT GLOB '*[^0-9]*' AND a.alias NOT GLOB '* *')
        WHERE doi IS NULL;
      CREATE INDEX papers_doi ON papers(doi);
    `,
  },
];

export function migrate(db: Database, all: Migration[] = migrations): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = Math.max(0, ...all.map((m) => m.version));
  if (current > latest)
    throw new Error(
      `the database's schema is version ${current}, newer than this paperboy knows (${latest}): upgrade paperboy`,
    );
  for (const migration of all) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
