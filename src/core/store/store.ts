/**
 * The one way the core and the commands reach the database: a `Store` of repositories with Promise-returning
 * methods, implemented over SQLite (src/core/store/sqlite/, the embedded default) and PostgreSQL
 * (src/core/store/postgres/, for several instances sharing one database). Nothing outside src/core/store/ knows which
 * engine it talks to; `openStore` (open.ts) picks one from a `StoreLocation`.
 */
import type { ChannelKey } from '../channel-key.ts';
import type { Logger } from '../logger.ts';
import type { Paper } from '../papers/paper.ts';
import type { MergeNote, UpsertOptions } from './upsert-plan.ts';

export type { ChannelKey } from '../channel-key.ts';

export type StoreEngine = 'sqlite' | 'postgres';

/** Where a store lives: a SQLite file (or `:memory:`), or a PostgreSQL connection URL. */
export type StoreLocation =
  | { engine: 'sqlite'; path: string }
  | { engine: 'postgres'; url: string; timeouts?: PostgresTimeouts };

/**
 * The limits every pooled PostgreSQL session starts with (`statement_timeout`, `lock_timeout`), in milliseconds; 0
 * leaves the server's own setting. Work that is long by nature (migrations, queueing for the paper-write lock) lifts
 * them for its own transaction only.
 */
export interface PostgresTimeouts {
  statementMs: number;
  lockMs: number;
}

export interface OpenStoreOptions {
  /** Read an existing database as it is: no migrations, no writes (a worker thread's second connection). */
  readOnly?: boolean;
  /** Where connection-level problems are reported (PostgreSQL: an idle connection dropped). */
  logger?: Logger;
  /** PostgreSQL: connections in the pool (default 10). */
  poolSize?: number;
}

/** The repositories, as seen inside a transaction (see `Store.transaction`) or outside one. */
export interface StoreTx {
  readonly papers: PaperStore;
  /** Subscriptions, the alert outbox, paused channels and the sources' state. */
  readonly alerts: AlertStore;
  /** Long button arguments kept under short keys (see src/core/button-stash.ts). */
  readonly stash: StashStore;
  /** Small facts about the database itself (its corpus id, whether the built-in papers were loaded). */
  readonly meta: MetaStore;
  /** Each channel's library of saved papers (see src/core/library/). */
  readonly library: LibraryStore;
  /** Where a distributed chat app is installed, with its sealed credentials (a Slack app's bot token per workspace). */
  readonly installations: InstallationStore;
  /** TL;DRs a language model wrote, kept per paper and model (see src/core/summarize/generated-tldr.ts). */
  readonly generatedTldrs: GeneratedTldrStore;
  /** Workspaces that removed the app, and everything kept for a workspace (see src/core/workspaces.ts). */
  readonly workspaces: WorkspaceStore;
  /** Each channel's 👎 ("Not for us") on papers, with who gave it (see src/core/library/feedback.ts). */
  readonly feedback: FeedbackStore;
  /** A source's counts for a paper (Hugging Face upvotes and comments), updated on every poll. */
  readonly signals: SignalStore;
  /** Why each queued alert came (the subscription it matched, the saved paper it is like, its upvotes). */
  readonly alertReasons: AlertReasonStore;
  /** Short notices posted in channels (a quiet day, a source failing), each once; and who wants quiet-day notes. */
  readonly notices: NoticeStore;
}

export interface Store extends StoreTx {
  readonly engine: StoreEngine;
  readonly location: StoreLocation;
  /** False once `close()` has begun: a cheap check for readiness probes, not a round trip to the server. */
  readonly open: boolean;
  /**
   * Runs `work` in one transaction: every write made through `tx` commits together, or none does when `work` throws.
   * Use `tx`, never the store itself, inside `work`.
   */
  transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * A lock only one process holds at a time across every process using this database (the poll round's, and the
   * poller's leadership among several instances).
   */
  pollLock(options?: PollLockOptions): PollLock;
  /** Event ids already handled, for a time (platform retries deduplicated across instances). */
  readonly events: EventLog;
  /**
   * Calls `onChange` when papers may have been written by any process using this database (PostgreSQL: LISTEN/NOTIFY,
   * and once more after the listening connection comes back, to catch up; SQLite: a periodic check). `onChange` is
   * a hint: the caller compares change numbers itself.
   */
  watchPapers(onChange: () => void, options?: WatchOptions): PaperWatch;
  /**
   * Lets the engine tidy up after a burst of writes, off the main thread where it can (SQLite moves its write-ahead
   * log into the database file from a worker thread, so no commit of the bot stalls on it; PostgreSQL has nothing
   * to do). Never fails: the data is safe either way.
   */
  checkpoint(): Promise<void>;
  close(): Promise<void>;
}

// ---- papers ----

export type UpsertOutcome = 'added' | 'updated' | 'unchanged';

export type { MergeNote, UpsertOptions } from './upsert-plan.ts';

/** What an upsert did, under which id the paper is stored, and, when it was taken for a stored paper, why. */
export interface UpsertResult {
  outcome: UpsertOutcome;
  id: string;
  /** Set when the record merged with a stored paper that came under another id (a first merge, not a re-import). */
  merge?: MergeNote;
}

/** A paper with the change number it was last written under. */
export interface PaperChange {
  paper: Paper;
  seq: number;
}

/**
 * One consistent view of the corpus for the search index: the papers changed since a change number (or all of them),
 * in change order, with the version and count of that very state of the store.
 */
export interface CorpusRead {
  /** The highest change number in this view. */
  version: number;
  /** How many papers the store holds in this view. */
  count: number;
  /** The papers, a page at a time. */
  pages: AsyncIterable<Paper[]>;
}

/**
 * Papers: upserts merge duplicates (one arXiv id or DOI, or a distinctive title with compatible authors and agreeing
 * abstracts: src/core/papers/duplicates.ts); every write gives the paper a new change
 * number (`seq`), so the search index can catch up with `changedSince`. Change numbers only grow, and a reader that
 * sees number N has already been able to see every change numbered below N (see each engine's note on how).
 */
export interface PaperStore {
  /** A paper by canonical id, arXiv id (any version or URL form), DOI or a former id. */
  get(id: string): Promise<Paper | undefined>;
  /**
   * Papers by id in one fetch (hydrating search hits): the map holds each id found, keyed as asked; canonical ids
   * are found directly, other forms as `get` finds them.
   */
  getMany(ids: readonly string[]): Promise<Map<string, Paper>>;
  findByTitle(title: string): Promise<Paper | undefined>;
  count(): Promise<number>;
  /** The highest change number: the state the search index compares itself with. */
  version(): Promise<number>;
  /** Papers written since change number `seq`, in change order. */
  changedSince(seq: number): Promise<PaperChange[]>;
  /** Reads the corpus (or the changes since `sinceSeq`) as one consistent view; the view ends when `read` settles. */
  readCorpus<T>(sinceSeq: number | undefined, read: (corpus: CorpusRead) => Promise<T>): Promise<T>;
  /** A uniformly random paper id. */
  randomId(random: () => number): Promise<string | undefined>;
  /** Inserts or merges one paper; the same paper from two sources becomes one record. */
  upsert(paper: Paper, now?: string): Promise<UpsertResult>;
  /** Upserts many papers in one transaction (fast imports, all-or-nothing per batch). */
  upsertMany(papers: readonly Paper[], options?: UpsertOptions): Promise<UpsertResult[]>;
  /**
   * Records that a poll source listed these papers as news (any id form `get` accepts), for each one that no source
   * had listed before: resolves to the canonical ids of those papers. News is when a source first lists a paper, not
   * when the store first held it: a paper fetched on demand (a thread digest, `/paper summary`, a library import) is
   * stored unlisted and still alerts when a source lists it. Run it in the transaction that enqueues the alerts.
   */
  markListed(ids: readonly string[], now: string): Promise<string[]>;
}

// ---- alerts ----

export type AlertMode = 'instant' | 'daily';

/** A channel's subscription, kept for the workspace it was made from (see `ChannelKey`). */
export interface Subscription extends ChannelKey {
  id: number;
  query: string;
  mode: AlertMode;
  /** `HH:MM` for daily digests. */
  digestTime?: string;
  /** IANA time zone of the digest time. */
  timeZone?: string;
  createdBy?: string;
  createdAt: string;
  lastMatchAt?: string;
  lastMatchPaper?: string;
}

export type NewSubscription = Omit<Subscription, 'id' | 'createdAt' | 'lastMatchAt' | 'lastMatchPaper'>;

/**
 * `dropped`: given up on purpose (its subscription was removed). `dead`: undeliverable after its retries, or its fate
 * unknowable; kept with the reason, shown to the channel, counted, and re-queued by `requeueDead`.
 */
export type OutboxState = 'pending' | 'sending' | 'posted' | 'sent' | 'dropped' | 'dead';

/**
 * An alert for a channel. `workspaceId` is that of the subscription it came from: the workspace whose credentials
 * post it, and whose pause holds it back.
 */
export interface NewAlert extends ChannelKey {
  paperId: string;
  subscriptionId: number;
  matched: string[];
  score: number;
  digest: boolean;
  dueAt: string;
}

export interface OutboxRow extends NewAlert {
  id: number;
  state: OutboxState;
  messageKey?: string;
  messageRef?: string;
  attempts: number;
  /** Drains in a row that could not tell whether its message was posted, or finish its thread (`noteUncertain`). */
  reconcileRounds: number;
  nextAttemptAt?: string;
  /** The last failure; for a `dead` row, why it was given up (shown to people). */
  lastError?: string;
  createdAt: string;
  sendingAt?: string;
  sentAt?: string;
  deadAt?: string;
  /** PostgreSQL: the fencing token of the claim that holds (or last held) the row. */
  claimToken?: number;
}

/**
 * Who is delivering an outbox row, and until when: rows are claimed before they are sent, so two instances never
 * work on the same row; a dead instance's claims run out and another instance takes the rows over (reconciling by key
 * what it had left mid-delivery). SQLite runs one poller per database file and ignores claims.
 */
export interface OutboxClaim {
  owner: string;
  /** The claim lasts this long unless renewed. */
  ttlMs: number;
}

/**
 * The claim a drain works under, as its writes present it: its owner and the fencing token its claim was given
 * (PostgreSQL; every claim gets a larger one). A write fenced by a token changes only rows that still carry that
 * token, so a drain whose claim ran out and was taken over by another instance cannot overwrite the new owner's work.
 * SQLite (one poller per database) ignores fences.
 */
export interface ClaimFence {
  owner: string;
  token?: number;
}

export interface OutboxStatus {
  backlog: { platform: string; state: OutboxState; count: number }[];
  paused: { platform: string; count: number }[];
  /** Dead letters waiting for `requeueDead`, per platform. */
  dead: { platform: string; count: number }[];
}

/** Dead letters of one channel that share a reason. */
export interface DeadLetters extends ChannelKey {
  reason: string;
  count: number;
  /** When the latest of them was given up. */
  lastAt: string;
}

/** Which channels' dead letters: every one, one platform's, or one channel's. */
export interface DeadLetterFilter {
  platform?: string;
  workspaceId?: string;
  channelId?: string;
}

export interface ChannelPause {
  pausedAt: string;
  reason: string;
}

/**
 * Alerts: subscriptions per channel and workspace, the alert outbox (one row per channel + paper, whichever workspaces
 * subscribed there, so a re-run, a re-import or a channel shared by two workspaces can never alert twice), paused
 * channels (per workspace) and small key/value source state. Every state change of the outbox is atomic, so a crash
 * leaves each row in a known state. Times are ISO-8601 strings in UTC.
 */
export interface AlertStore {
  addSubscription(input: NewSubscription, now?: string): Promise<Subscription>;
  subscription(id: number): Promise<Subscription | undefined>;
  subscriptions(): Promise<Subscription[]>;
  channelSubscriptions(channel: ChannelKey): Promise<Subscription[]>;
  /**
   * Deletes a subscription only when it belongs to this channel; its alerts not yet being sent, dead letters
   * included, are dropped.
   */
  removeSubscription(id: number, channel: ChannelKey): Promise<boolean>;
  noteMatch(subscriptionId: number, paperId: string, at: string): Promise<void>;

  /** Records an alert unless this channel already has one for this paper. True when a row was added. */
  enqueue(alert: NewAlert, now?: string): Promise<boolean>;
  /** Rows left mid-delivery (a crash or a failed call): they must be reconciled before anything is re-sent. */
  inFlight(platform: string): Promise<OutboxRow[]>;
  /** Pending rows due by `now` (and whose retry time has come) in channels that are not paused. */
  due(platform: string, now: string): Promise<OutboxRow[]>;
  /**
   * `inFlight`, claimed: only rows no one else holds a live claim on, now claimed by `claim.owner` (PostgreSQL: under
   * a new fencing token, carried by the rows returned as `claimToken`).
   */
  claimInFlight(platform: string, now: string, claim: OutboxClaim): Promise<OutboxRow[]>;
  /** `due`, claimed (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so concurrent claimers split the rows). */
  claimDue(platform: string, now: string, claim: OutboxClaim): Promise<OutboxRow[]>;
  /** Pushes the expiry of `owner`'s claims forward; resolves to how many it still holds. */
  renewClaims(claim: OutboxClaim, now: string): Promise<number>;
  /** Gives up `owner`'s claims (the end of a drain): the rows are free for whoever drains next. */
  releaseClaims(owner: string): Promise<void>;
  row(id: number): Promise<OutboxRow | undefined>;
  rows(): Promise<OutboxRow[]>;
  /**
   * The outbox's backlog (rows pending, sending, posted), its dead letters and the paused channels, per platform: for
   * metrics.
   */
  outboxStatus(): Promise<OutboxStatus>;
  /**
   * Before the platform call: the rows of one message get its deterministic key, atomically (again, for a resend
   * after reconciling: attempts count up and `sendingAt` moves on). With a fence, only while its owner's claim on
   * every row is live and (PostgreSQL) still carries its token; false (nothing changed) when not, and the message
   * must not be sent.
   */
  markSending(ids: readonly number[], key: string, now: string, fence?: ClaimFence): Promise<boolean>;
  /**
   * The root message exists on the platform (its thread may not yet). False when no row took it: with a fence, the
   * rows were taken over by another instance since, whose to finish they now are.
   */
  markPosted(key: string, ref: string, fence?: ClaimFence): Promise<boolean>;
  markSent(key: string, now: string, fence?: ClaimFence): Promise<void>;
  /** The platform certainly did not take the message: back to pending, retried after `nextAttemptAt`. */
  markRetry(key: string, error: string, nextAttemptAt: string, fence?: ClaimFence): Promise<void>;
  /**
   * Gives up on the rows of an unposted message (state `sending`): they become dead letters with `reason`, a short
   * phrase people read ("rate limited 8 times"). Resolves to how many rows it gave up.
   */
  markDead(key: string, reason: string, now: string, fence?: ClaimFence): Promise<number>;
  /**
   * One more drain could not finish the message: could not tell whether it was posted (state `sending`), or could not
   * post its thread (`posted`). Records `error` and resolves to how many drains in a row could not.
   */
  noteUncertain(key: string, error: string, fence?: ClaimFence): Promise<number>;
  /** Dead letters grouped by channel and reason, the channel's most recent first. */
  deadLetters(filter?: DeadLetterFilter): Promise<DeadLetters[]>;
  /**
   * Re-queues dead letters with their attempts reset; resolves to how many. A letter known not to have been posted
   * goes back to `pending`; one whose fate could not be told goes back to `sending` under its key, so the next drain
   * asks the platform before it sends anything.
   */
  requeueDead(filter?: DeadLetterFilter): Promise<number>;
  /** Deletes rows sent before `cutoff` (retention); resolves to how many. */
  deleteSentBefore(cutoff: string): Promise<number>;

  /** Pauses the channel's alerts for one workspace (another workspace sharing the channel is not paused). */
  pauseChannel(channel: ChannelKey, reason: string, now?: string): Promise<void>;
  /** Resumes a paused channel; false when it was not paused. */
  resumeChannel(channel: ChannelKey): Promise<boolean>;
  channelPause(channel: ChannelKey): Promise<ChannelPause | undefined>;
  /** The channel's alerts not yet sent nor given up (pending, sending, posted): what a paused channel holds back. */
  waitingAlerts(channel: ChannelKey): Promise<number>;
  /** Every paused channel. */
  pausedChannels(): Promise<ChannelKey[]>;

  /** Source state (HTTP validators, inbox files, the last day each source was fetched). */
  getState(key: string): Promise<string | undefined>;
  setState(key: string, value: string): Promise<void>;
}

// ---- library ----

/** A paper saved to a channel's library (that of the saver's workspace): who saved it and when. */
export interface LibraryItem extends ChannelKey {
  paperId: string;
  /** The saver's platform user id. */
  savedBy: string;
  /** Their display name when saved (shown instead of a mention, which would ping them). */
  savedByName?: string;
  savedAt: string;
}

export interface LibraryFilter {
  /** Only the papers this user saved. */
  savedBy?: string;
  limit?: number;
  offset?: number;
}

/**
 * Channels' libraries, one per channel and workspace: one row per (channel key, paper), so saving twice keeps the
 * first save (who and when). Listed newest first; papers are referred to by the id they had when saved
 * (`PaperStore.get` follows former ids).
 */
export interface LibraryStore {
  /** Saves unless the channel has the paper already: `added` false and the existing item when it had. */
  save(item: LibraryItem): Promise<{ added: boolean; item: LibraryItem }>;
  item(channel: ChannelKey, paperId: string): Promise<LibraryItem | undefined>;
  /** Newest first. */
  items(channel: ChannelKey, filter?: LibraryFilter): Promise<LibraryItem[]>;
  count(channel: ChannelKey, savedBy?: string): Promise<number>;
  remove(channel: ChannelKey, paperId: string): Promise<boolean>;
  /** Every channel with a library, for library alerts. */
  channels(): Promise<ChannelKey[]>;
}

// ---- feedback ----

/** One person's 👎 ("Not for us") on a paper in a channel, as the channel's workspace sees it. */
export interface FeedbackItem extends ChannelKey {
  /** The paper's id when the 👎 was given (`PaperStore.get` follows a former id). */
  paperId: string;
  /** Who gave it (the platform's user id). */
  givenBy: string;
  /** Their display name when they gave it (shown instead of a mention, which would ping them). */
  givenByName?: string;
  givenAt: string;
}

export interface FeedbackFilter {
  paperId?: string;
  givenBy?: string;
  limit?: number;
}

/**
 * Channels' 👎s, keyed like the library (platform, workspace, channel): one per (channel, paper, person), so pressing
 * twice cannot count twice; listed newest first.
 */
export interface FeedbackStore {
  /** Records the 👎; false when this person had given it already. */
  add(item: FeedbackItem): Promise<boolean>;
  /** Takes back one person's 👎 on the paper (`givenBy`), or everyone's; resolves to how many were taken back. */
  remove(channel: ChannelKey, paperId: string, givenBy?: string): Promise<number>;
  /** Newest first. */
  items(channel: ChannelKey, filter?: FeedbackFilter): Promise<FeedbackItem[]>;
}

// ---- signals ----

/** What a source says of a paper's popularity, as of its last poll that listed the paper. */
export interface PaperSignal {
  paperId: string;
  /** The source that counts (`huggingface`). */
  source: string;
  /** `YYYY-MM-DD`: the day the source featured the paper (Hugging Face's daily list). */
  featuredOn: string;
  upvotes: number;
  comments?: number;
  /** When a poll first listed the paper. */
  firstSeenAt: string;
  /** When these counts were read. */
  asOf: string;
}

/** One row per (paper, source), updated in place on every poll: counts are never duplicated. */
export interface SignalStore {
  /** Stores the counts read now; the day featured stays the earliest one seen. */
  record(signal: Omit<PaperSignal, 'firstSeenAt'>): Promise<void>;
  /** Papers featured from `since` to `until` (days, inclusive), most upvotes first (ties: most comments, id). */
  featured(source: string, since: string, until: string, limit: number): Promise<PaperSignal[]>;
  /** The latest day the source featured a paper, and when its counts were last read; undefined when none. */
  latest(source: string): Promise<{ day: string; asOf: string } | undefined>;
}

// ---- alert reasons ----

/** Why a paper was alerted in a channel, kept with the alert (see src/core/present/why.ts). */
export interface AlertReason {
  platform: string;
  channelId: string;
  paperId: string;
  /** JSON of a `Why`. */
  reason: string;
}

/** Keyed like the outbox (one per channel and paper); written in the transaction that queues the alert. */
export interface AlertReasonStore {
  put(reason: AlertReason): Promise<void>;
  /** The reasons of these papers in a channel, by paper id. */
  get(platform: string, channelId: string, paperIds: readonly string[]): Promise<Map<string, string>>;
}

// ---- notices ----

export type NoticeState = 'pending' | 'sending' | 'sent' | 'dropped';

/** A short line to post in a channel once (a quiet day, a source failing or back), keyed so it is queued once. */
export interface Notice extends ChannelKey {
  id: number;
  /** What makes it once: `quiet:<subscription>:<day>`, `source-down:<source>:<since>`... */
  key: string;
  text: string;
  state: NoticeState;
  attempts: number;
  lastError?: string;
  createdAt: string;
  sentAt?: string;
}

export interface NoticeStore {
  /** Queues a notice unless one with the same key was queued for the channel before; true when queued. */
  queue(notice: Pick<Notice, 'platform' | 'workspaceId' | 'channelId' | 'key' | 'text'>, now: string): Promise<boolean>;
  /** Pending and sending notices of a platform, oldest first. */
  open(platform: string): Promise<Notice[]>;
  /** Moves a notice on: `sending` before the platform call, `sent` after, `pending` to retry, `dropped`. */
  mark(id: number, state: NoticeState, update?: { error?: string; at?: string }): Promise<void>;
  /** The notices of a channel (newest first): for tests and `/paper subscriptions`. */
  channel(channel: ChannelKey): Promise<Notice[]>;
  /** Turns a subscription's quiet-day note on or off. */
  setQuietNote(subscriptionId: number, on: boolean): Promise<void>;
  /** The subscriptions (of those given) whose quiet-day note is on. */
  quietNotes(subscriptionIds: readonly number[]): Promise<Set<number>>;
}

// ---- installations ----

/** One workspace's installation of the app. */
export interface InstallationRecord {
  platform: string;
  /** Slack: the team id, or the enterprise id of an org-wide install. */
  workspaceId: string;
  enterpriseId?: string;
  /** Installed for a whole enterprise organization rather than one workspace. */
  orgWide: boolean;
  /** The installation with its tokens, sealed (src/core/secret-box.ts): credentials are never stored in the clear. */
  sealed: string;
  /** Who installed it (the platform's user id). */
  installedBy?: string;
  /** When it was (last) installed. */
  installedAt: string;
}

/** Installations keyed by platform and workspace; installing again replaces the record. */
export interface InstallationStore {
  save(record: Omit<InstallationRecord, 'installedAt'>, now?: string): Promise<void>;
  get(platform: string, workspaceId: string): Promise<InstallationRecord | undefined>;
  /** Deletes the record and its credentials; false when there was none. */
  remove(platform: string, workspaceId: string): Promise<boolean>;
  /** The most recent installation on the platform, if any (to check at start that the key opens what is stored). */
  latest(platform: string): Promise<InstallationRecord | undefined>;
}

// ---- workspaces ----

/** A workspace that removed the app (Slack: uninstalled or revoked its token; Discord: the bot left the guild). */
export interface RemovedWorkspace {
  platform: string;
  workspaceId: string;
  removedAt: string;
  reason: string;
}

/** How many rows of each kind a workspace's deletion removed. */
export interface WorkspaceDataCounts {
  subscriptions: number;
  libraryItems: number;
  alerts: number;
  pausedChannels: number;
  feedback: number;
  notices: number;
  installations: number;
}

/**
 * Workspaces as units of data: when each removed the app, and the deletion of everything kept for one (its
 * subscriptions, library, outbox rows, pauses and installation) once it has been gone long enough.
 */
export interface WorkspaceStore {
  /** Records the removal; a workspace already removed keeps its first removal time (its grace period runs on). */
  markRemoved(platform: string, workspaceId: string, reason: string, now?: string): Promise<void>;
  /** The app is back (reinstalled, or the bot re-joined): the removal is forgotten. True when there was one. */
  markReturned(platform: string, workspaceId: string): Promise<boolean>;
  removal(platform: string, workspaceId: string): Promise<RemovedWorkspace | undefined>;
  /** Workspaces removed before `cutoff`, oldest first. */
  removedBefore(cutoff: string): Promise<RemovedWorkspace[]>;
  /**
   * Deletes everything kept for the workspace, in one transaction, but only while it is still removed since before
   * `cutoff` (not reinstalled in the meantime): undefined, and nothing deleted, otherwise.
   */
  purge(platform: string, workspaceId: string, cutoff: string): Promise<WorkspaceDataCounts | undefined>;
  /**
   * Rows of this channel kept without a workspace (written before data was keyed by workspace, and that the
   * migration could not attribute) move to the channel's workspace; resolves to how many moved.
   */
  adopt(channel: ChannelKey): Promise<number>;
}

// ---- stash, meta, generated TL;DRs, locks, events ----

export interface WatchOptions {
  /** Also call `onChange` this often, whatever the notifications say (a safety net; default 30 s). */
  checkEveryMs?: number;
}

export interface PaperWatch {
  close(): Promise<void>;
}

export interface EventLog {
  /**
   * True the first time `id` is offered within `ttlMs`, false for a repeat seen by any instance (PostgreSQL) or by
   * this process (SQLite). Expired ids are forgotten.
   */
  firstSeen(id: string, ttlMs: number, now?: number): Promise<boolean>;
  /** Forgets expired ids now (done by `firstSeen` from time to time anyway); resolves to how many. */
  purgeExpired(now?: number): Promise<number>;
}

export interface StashStore {
  /**
   * Keeps `value` under `key`; a key already there keeps its value (keys are derived from values) and its time is
   * refreshed, so retention counts from the last message that carried it.
   */
  put(key: string, value: string, now?: string): Promise<void>;
  get(key: string): Promise<string | undefined>;
  /** Deletes entries last put before `cutoff` (retention): their buttons then say they are no longer valid. */
  deleteOlderThan(cutoff: string): Promise<number>;
}

export interface MetaStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  /** Stores `value` unless the key has one already; resolves to the value the key holds (safe when racing). */
  setIfAbsent(key: string, value: string): Promise<string>;
}

/** A generated TL;DR as kept: the latest one per paper and model, with the prompt it answered. */
export interface CachedTldr {
  paperId: string;
  model: string;
  /** Hash of the prompt the text answered: a new abstract or a new prompt misses the cache. */
  promptHash: string;
  text: string;
}

export interface GeneratedTldrStore {
  /** The text kept for this paper and model, only when it answered this very prompt. */
  get(paperId: string, model: string, promptHash: string): Promise<string | undefined>;
  /** Keeps the text, replacing the paper's earlier one from the same model. */
  put(entry: CachedTldr): Promise<void>;
}

export interface PollLockOptions {
  /** Which lock (default `poller`). */
  name?: string;
  /** How long a lock lives without a heartbeat (default 2 minutes). */
  ttlMs?: number;
  now?: () => number;
}

export interface LockHolder {
  pid: number;
  host: string;
  /** When the lease runs out unless renewed; absent where the lock lives as long as its holder's connection. */
  expiresAt?: number;
}

/**
 * A lock only one process holds: taken, kept alive by heartbeats, released; a dead holder loses it. SQLite: a lease
 * row that expires (or whose holder's pid is gone on this host). PostgreSQL: a session advisory lock on a connection
 * of its own, gone the moment that connection is (a killed process, a lost network: the server's TCP keepalives).
 */
export interface PollLock {
  readonly owner: string;
  /** Takes the lock if it is free, expired, ours, or held by a dead process on this host. */
  acquire(): Promise<boolean>;
  /** Pushes the expiry forward (PostgreSQL: checks the connection); false when the lock is no longer ours. */
  heartbeat(): Promise<boolean>;
  release(): Promise<void>;
  /** Who holds it, for messages. */
  holder(): Promise<LockHolder | undefined>;
}
