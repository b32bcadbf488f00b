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
    // Versions 6 to 9 are other branches' (renumbered when merged).
    version: 10,
    description: "feeds: channels' 👎 feedback, papers' upvotes and comments, alert reasons, channel notices",
    sql: `
      -- One 👎 per (channel, paper, person), keyed like library_items. id orders what was given in the same instant.
      CREATE TABLE paper_feedback (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        platform TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        paper_id TEXT NOT NULL,
        given_by TEXT NOT NULL,
        given_by_name TEXT,
        given_at TEXT NOT NULL,
        UNIQUE (platform, channel_id, paper_id, given_by)
      );
      CREATE INDEX paper_feedback_newest ON paper_feedback(platform, channel_id, given_at);
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
      -- Short lines posted in a channel once each: state pending -> sending -> sent, or dropped.
      CREATE TABLE channel_notices (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        platform TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        key TEXT NOT NULL,
        text TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        UNIQUE (platform, channel_id, key)
      );
      CREATE INDEX channel_notices_open ON channel_notices(platform, state);
      -- Subscriptions that post a line on a day their digest found nothing (--quiet-note).
      CREATE TABLE quiet_notes (
        subscription_id INTEGER PRIMARY KEY REFERENCES subscriptions(id) ON DELETE CASCADE
      );
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
