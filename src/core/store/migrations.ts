/** Versioned schema migrations, applied in order inside a transaction; `user_version` records progress. */
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
];

export function migrate(db: Database, all: Migration[] = migrations): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const migration of all) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
