import type Database from "better-sqlite3";
import { repairNegativeIntervals, repairNegativeSessionIntervals } from "./interval-repair";

/**
 * Versioned schema migrations. A migration is never edited once released:
 * change the schema by appending a new one. Instants are epoch ms, energies
 * integer Wh, money decimal TEXT (docs/decisions/0001-epoch-ms.md,
 * 0002-energy-integer-wh.md, 0003-money-as-decimal-text.md).
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Data repairs the new constraints need, run in the same transaction just before `sql`. */
  prepare?: (db: Database.Database, nowMs: number) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "initial schema",
    sql: `
CREATE TABLE communities (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_ms  INTEGER NOT NULL,
  updated_ms  INTEGER NOT NULL
);

-- Every deployed or imported definition, kept forever: the database alone can
-- bill and reproduce past invoices.
CREATE TABLE community_revisions (
  id            INTEGER PRIMARY KEY,
  community_id  TEXT NOT NULL REFERENCES communities(id),
  created_ms    INTEGER NOT NULL,
  source        TEXT NOT NULL,
  hash          TEXT NOT NULL,
  definition    TEXT NOT NULL CHECK (json_valid(definition))
);
CREATE INDEX community_revisions_by_community ON community_revisions(community_id, id);

CREATE TABLE meters (
  id           INTEGER PRIMARY KEY,
  community_id TEXT NOT NULL REFERENCES communities(id),
  meter_key    TEXT NOT NULL,
  role         TEXT NOT NULL CHECK (role IN ('unit','common','production','grid','battery','charger','other')),
  unit_id      TEXT,
  label        TEXT,
  created_ms   INTEGER NOT NULL,
  updated_ms   INTEGER NOT NULL,
  UNIQUE (community_id, meter_key)
);

-- Counter state per meter so that a restart continues where it stopped.
CREATE TABLE meter_state (
  meter_id        INTEGER PRIMARY KEY REFERENCES meters(id),
  serial          TEXT,
  last_ms         INTEGER,
  last_import_wh  REAL,
  last_export_wh  REAL,
  state           TEXT CHECK (state IS NULL OR json_valid(state)),
  updated_ms      INTEGER NOT NULL
);

-- Energy per meter and quarter hour. NULL energy only where the quality says missing.
CREATE TABLE intervals (
  meter_id    INTEGER NOT NULL REFERENCES meters(id),
  start_ms    INTEGER NOT NULL CHECK (start_ms % 900000 = 0),
  import_wh   INTEGER,
  export_wh   INTEGER,
  quality     TEXT NOT NULL CHECK (quality IN ('measured','interpolated','estimated','missing')),
  updated_ms  INTEGER NOT NULL,
  PRIMARY KEY (meter_id, start_ms),
  CHECK ((quality = 'missing') = (import_wh IS NULL))
) WITHOUT ROWID;
CREATE INDEX intervals_by_start ON intervals(start_ms);

CREATE TABLE charger_sessions (
  id                INTEGER PRIMARY KEY,
  community_id      TEXT NOT NULL REFERENCES communities(id),
  charger_key       TEXT NOT NULL,
  user_id           TEXT,
  unit_id           TEXT,
  started_ms        INTEGER NOT NULL,
  ended_ms          INTEGER,
  start_counter_wh  INTEGER,
  end_counter_wh    INTEGER,
  energy_wh         INTEGER,
  status            TEXT NOT NULL CHECK (status IN ('open','closed','aborted')),
  flags             TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(flags)),
  updated_ms        INTEGER NOT NULL
);
CREATE INDEX charger_sessions_by_charger ON charger_sessions(community_id, charger_key, started_ms);
CREATE UNIQUE INDEX charger_sessions_one_open ON charger_sessions(community_id, charger_key) WHERE status = 'open';

CREATE TABLE charger_session_intervals (
  session_id  INTEGER NOT NULL REFERENCES charger_sessions(id),
  start_ms    INTEGER NOT NULL CHECK (start_ms % 900000 = 0),
  mode        TEXT NOT NULL CHECK (mode IN ('priority','normal')),
  energy_wh   INTEGER NOT NULL,
  PRIMARY KEY (session_id, start_ms, mode)
) WITHOUT ROWID;

CREATE TABLE invoice_sequences (
  community_id  TEXT NOT NULL REFERENCES communities(id),
  year          INTEGER NOT NULL,
  last_number   INTEGER NOT NULL,
  PRIMARY KEY (community_id, year)
);

CREATE TABLE invoices (
  id                  INTEGER PRIMARY KEY,
  community_id        TEXT NOT NULL REFERENCES communities(id),
  number              TEXT,
  kind                TEXT NOT NULL CHECK (kind IN ('invoice','credit-note')),
  status              TEXT NOT NULL CHECK (status IN ('draft','issued','paid','cancelled')),
  tenancy_key         TEXT NOT NULL,
  unit_id             TEXT,
  period_from         TEXT NOT NULL,
  period_to           TEXT NOT NULL,
  currency            TEXT NOT NULL CHECK (currency IN ('CHF','EUR')),
  total               TEXT NOT NULL,
  reference           TEXT,
  cancels_invoice_id  INTEGER REFERENCES invoices(id),
  snapshot            TEXT NOT NULL CHECK (json_valid(snapshot)),
  created_ms          INTEGER NOT NULL,
  issued_ms           INTEGER,
  paid_ms             INTEGER,
  cancelled_ms        INTEGER,
  UNIQUE (community_id, number)
);
-- Billing a tenancy and period twice never yields two live invoices.
CREATE UNIQUE INDEX invoices_one_live ON invoices(community_id, tenancy_key, period_from, period_to)
  WHERE kind = 'invoice' AND status IN ('draft','issued','paid');

CREATE TABLE invoice_lines (
  invoice_id  INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
  pos         INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  label       TEXT NOT NULL,
  quantity    TEXT,
  unit        TEXT,
  unit_price  TEXT,
  amount      TEXT NOT NULL,
  vat_rate    TEXT,
  PRIMARY KEY (invoice_id, pos)
) WITHOUT ROWID;

CREATE TABLE audit_log (
  id            INTEGER PRIMARY KEY,
  ts_ms         INTEGER NOT NULL,
  community_id  TEXT,
  actor         TEXT NOT NULL,
  action        TEXT NOT NULL,
  entity        TEXT,
  entity_id     TEXT,
  details       TEXT CHECK (details IS NULL OR json_valid(details))
);
CREATE INDEX audit_log_by_community ON audit_log(community_id, ts_ms);
`,
  },
  {
    version: 2,
    name: "aggregation: unallocated gap energy, meter events, aggregator state",
    sql: `
-- Counter energy of a run of 'missing' intervals (a gap beyond the gap limit):
-- the meter's counter says how much flowed, not when. Kept here so that the
-- sum over intervals plus this table equals the counter difference exactly
-- (docs/aggregation.md, docs/decisions/0020-gap-energy-unallocated.md).
CREATE TABLE unallocated_energy (
  meter_id    INTEGER NOT NULL REFERENCES meters(id),
  from_ms     INTEGER NOT NULL CHECK (from_ms % 900000 = 0),
  to_ms       INTEGER NOT NULL CHECK (to_ms % 900000 = 0 AND to_ms > from_ms),
  import_wh   INTEGER NOT NULL CHECK (import_wh >= 0),
  export_wh   INTEGER CHECK (export_wh IS NULL OR export_wh >= 0),
  reason      TEXT NOT NULL CHECK (reason IN ('gap')),
  updated_ms  INTEGER NOT NULL,
  PRIMARY KEY (meter_id, from_ms)
) WITHOUT ROWID;

-- Counter resets, meter swaps and accepted counter jumps, at the reading's instant.
CREATE TABLE meter_events (
  meter_id  INTEGER NOT NULL REFERENCES meters(id),
  ts_ms     INTEGER NOT NULL,
  kind      TEXT NOT NULL CHECK (kind IN ('reset','swap','jump')),
  details   TEXT CHECK (details IS NULL OR json_valid(details)),
  PRIMARY KEY (meter_id, ts_ms, kind)
) WITHOUT ROWID;

-- Per community: which interval summaries zev-aggregate has already sent.
CREATE TABLE aggregate_state (
  community_id  TEXT PRIMARY KEY REFERENCES communities(id),
  state         TEXT NOT NULL CHECK (json_valid(state)),
  updated_ms    INTEGER NOT NULL
);
`,
  },
  {
    version: 3,
    name: "index of intervals that are not measured",
    // Billing reads every interval of a year in one ordered list per meter and only then the few
    // that are interpolated, estimated or missing: this partial index makes that second read cheap.
    sql: `CREATE INDEX intervals_not_measured ON intervals(meter_id, start_ms) WHERE quality <> 'measured';`,
  },
  {
    version: 4,
    name: "charger session state",
    sql: `
-- The state of each charger's session machine (lib/charging/session-machine.ts),
-- written in the same transaction as the session and interval rows it produced,
-- so that a restart (or a kill) continues a session without losing or double
-- counting energy.
CREATE TABLE charger_state (
  community_id  TEXT NOT NULL REFERENCES communities(id),
  charger_key   TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (json_valid(state)),
  updated_ms    INTEGER NOT NULL,
  PRIMARY KEY (community_id, charger_key)
) WITHOUT ROWID;

-- Sessions whose id maps to no unit yet: attributed when the community maps the id.
CREATE INDEX charger_sessions_unattributed ON charger_sessions(community_id, user_id) WHERE unit_id IS NULL;
`,
  },
  {
    version: 5,
    name: "interval energy is never negative",
    // Older versions could store a negative interval (docs/decisions/0060, 0061): `prepare` repairs such rows
    // (audited), then both energy tables are rebuilt with a CHECK (SQLite adds a CHECK only by a rebuild).
    // Nothing references either table, so dropping and renaming keeps every foreign key; the indexes are recreated.
    prepare: (db, nowMs) => {
      repairNegativeIntervals(db, nowMs);
      repairNegativeSessionIntervals(db, nowMs);
    },
    sql: `
CREATE TABLE intervals_v5 (
  meter_id    INTEGER NOT NULL REFERENCES meters(id),
  start_ms    INTEGER NOT NULL CHECK (start_ms % 900000 = 0),
  import_wh   INTEGER CHECK (import_wh IS NULL OR import_wh >= 0),
  export_wh   INTEGER CHECK (export_wh IS NULL OR export_wh >= 0),
  quality     TEXT NOT NULL CHECK (quality IN ('measured','interpolated','estimated','missing')),
  updated_ms  INTEGER NOT NULL,
  PRIMARY KEY (meter_id, start_ms),
  CHECK ((quality = 'missing') = (import_wh IS NULL))
) WITHOUT ROWID;
INSERT INTO intervals_v5 (meter_id, start_ms, import_wh, export_wh, quality, updated_ms)
  SELECT meter_id, start_ms, import_wh, export_wh, quality, updated_ms FROM intervals;
DROP TABLE intervals;
ALTER TABLE intervals_v5 RENAME TO intervals;
CREATE INDEX intervals_by_start ON intervals(start_ms);
CREATE INDEX intervals_not_measured ON intervals(meter_id, start_ms) WHERE quality <> 'measured';

CREATE TABLE charger_session_intervals_v5 (
  session_id  INTEGER NOT NULL REFERENCES charger_sessions(id),
  start_ms    INTEGER NOT NULL CHECK (start_ms % 900000 = 0),
  mode        TEXT NOT NULL CHECK (mode IN ('priority','normal')),
  energy_wh   INTEGER NOT NULL CHECK (energy_wh >= 0),
  PRIMARY KEY (session_id, start_ms, mode)
) WITHOUT ROWID;
INSERT INTO charger_session_intervals_v5 (session_id, start_ms, mode, energy_wh)
  SELECT session_id, start_ms, mode, energy_wh FROM charger_session_intervals;
DROP TABLE charger_session_intervals;
ALTER TABLE charger_session_intervals_v5 RENAME TO charger_session_intervals;
`,
  },
  {
    version: 6,
    name: "grid operator deliveries per interval and direction",
    // SDAT-CH imports (docs/operator-data.md): which document delivered each direction of each quarter hour,
    // with its quality, so that a substitute never overwrites a true value and the later document wins
    // between two true values. `direction` is the intervals column the value went into.
    sql: `
CREATE TABLE operator_deliveries (
  meter_id     INTEGER NOT NULL REFERENCES meters(id),
  start_ms     INTEGER NOT NULL CHECK (start_ms % 900000 = 0),
  direction    TEXT NOT NULL CHECK (direction IN ('import','export')),
  energy_wh    INTEGER CHECK (energy_wh IS NULL OR energy_wh >= 0),
  quality      TEXT NOT NULL CHECK (quality IN ('measured','estimated','missing')),
  condition    TEXT,
  document_id  TEXT NOT NULL,
  created_ms   INTEGER NOT NULL,
  updated_ms   INTEGER NOT NULL,
  PRIMARY KEY (meter_id, start_ms, direction),
  CHECK ((quality = 'missing') = (energy_wh IS NULL))
) WITHOUT ROWID;
`,
  },
  {
    version: 7,
    name: "payments: bank notifications (camt.054/053) and manual payments",
    // One row per payment (one camt transaction, or one manual entry). bank_key is the bank's identity of the
    // transaction: a file imported twice, or the same booking in a camt.054 and a camt.053, books nothing twice
    // (docs/payments.md, docs/decisions/0081). Invoices marked paid before this version become manual payments
    // of their total, so that the paid amount of every invoice is the sum of its payments.
    sql: `
CREATE TABLE payments (
  id             INTEGER PRIMARY KEY,
  community_id   TEXT NOT NULL REFERENCES communities(id),
  source         TEXT NOT NULL CHECK (source IN ('camt','manual')),
  bank_key       TEXT,
  amount         TEXT NOT NULL,
  currency       TEXT NOT NULL,
  booking_date   TEXT,
  value_date     TEXT,
  reference_type TEXT CHECK (reference_type IS NULL OR reference_type IN ('QRR','SCOR','ISR')),
  reference      TEXT,
  debtor_name    TEXT,
  debtor_iban    TEXT,
  account_iban   TEXT,
  invoice_id     INTEGER REFERENCES invoices(id),
  state          TEXT NOT NULL CHECK (state IN ('matched','assigned','manual','unmatched','flagged')),
  flag           TEXT CHECK (flag IS NULL OR flag IN ('cancelled-invoice','foreign-account','currency','not-payable')),
  note           TEXT,
  file_name      TEXT,
  message_id     TEXT,
  entry_ref      TEXT,
  -- The booking (account + entry AcctSvcrRef) a camt payment belongs to: a booking reported once without its
  -- transactions (a camt.053 batch total) and once with them (the camt.054) is booked once.
  entry_key      TEXT,
  summary        INTEGER NOT NULL DEFAULT 0 CHECK (summary IN (0, 1)),
  tx_ref         TEXT,
  end_to_end_id  TEXT,
  created_ms     INTEGER NOT NULL,
  created_by     TEXT NOT NULL,
  assigned_ms    INTEGER,
  assigned_by    TEXT,
  CHECK ((source = 'camt') = (bank_key IS NOT NULL)),
  CHECK (state NOT IN ('matched','assigned','manual') OR invoice_id IS NOT NULL)
);
CREATE UNIQUE INDEX payments_bank_key ON payments(community_id, bank_key) WHERE bank_key IS NOT NULL;
CREATE INDEX payments_by_invoice ON payments(invoice_id);
CREATE INDEX payments_by_entry ON payments(community_id, entry_key) WHERE entry_key IS NOT NULL;
CREATE INDEX payments_by_community ON payments(community_id, id);

INSERT INTO payments (community_id, source, amount, currency, booking_date, invoice_id, state, note, created_ms, created_by)
  SELECT community_id, 'manual', total, currency, date(paid_ms / 1000, 'unixepoch'), id, 'manual',
         'marked paid before payments were recorded', paid_ms, 'migration 7'
  FROM invoices WHERE kind = 'invoice' AND paid_ms IS NOT NULL;
`,
  },
  {
    version: 8,
    name: "tenant portal: access tokens stored as hashes",
    // A tenant's private portal link (docs/portal.md, docs/decisions/0098): only the SHA-256 of the random token is kept,
    // so the database (or a backup of it) gives nobody a working link. Rows are never deleted: revoked and expired
    // links stay for the audit trail.
    sql: `
CREATE TABLE portal_tokens (
  id            INTEGER PRIMARY KEY,
  token_hash    TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
  community_id  TEXT NOT NULL REFERENCES communities(id),
  tenancy_id    TEXT NOT NULL,
  created_ms    INTEGER NOT NULL,
  created_by    TEXT NOT NULL,
  expires_ms    INTEGER NOT NULL CHECK (expires_ms > created_ms),
  revoked_ms    INTEGER,
  revoked_by    TEXT,
  last_used_ms  INTEGER
);
CREATE INDEX portal_tokens_by_tenancy ON portal_tokens(community_id, tenancy_id);
`,
  },
  {
    version: 9,
    name: "reminders: numbered payment reminders of unpaid invoices, with their fees",
    // One row per reminder sent (docs/payments.md "Reminders"): a level is sent once per invoice; the fee is owed
    // on top of the invoice's total from then on (an invoice is paid when its payments reach total + fees).
    sql: `
CREATE TABLE reminders (
  id             INTEGER PRIMARY KEY,
  community_id   TEXT NOT NULL REFERENCES communities(id),
  invoice_id     INTEGER NOT NULL REFERENCES invoices(id),
  level          INTEGER NOT NULL CHECK (level >= 1),
  final          INTEGER NOT NULL CHECK (final IN (0, 1)),
  number         TEXT NOT NULL,
  reminder_date  TEXT NOT NULL,
  due_date       TEXT NOT NULL,
  currency       TEXT NOT NULL,
  fee            TEXT NOT NULL,
  open_amount    TEXT NOT NULL,
  amount_due     TEXT NOT NULL,
  created_ms     INTEGER NOT NULL,
  created_by     TEXT NOT NULL,
  UNIQUE (invoice_id, level),
  UNIQUE (community_id, number)
);
CREATE INDEX reminders_by_community ON reminders(community_id, id);
`,
  },
  {
    version: 10,
    name: "substitutes: substitute values formed for gaps of a community's own meters",
    // One row per gap filled (docs/aggregation.md "Substitute values", docs/decisions/0136): the intervals it wrote
    // are `estimated`; the row says how they were formed and what the gap held before (its unallocated energy).
    sql: `
CREATE TABLE substitutes (
  id                   INTEGER PRIMARY KEY,
  meter_id             INTEGER NOT NULL REFERENCES meters(id),
  from_ms              INTEGER NOT NULL CHECK (from_ms % 900000 = 0),
  to_ms                INTEGER NOT NULL CHECK (to_ms > from_ms AND to_ms % 900000 = 0),
  method               TEXT NOT NULL CHECK (method IN ('profile', 'linear')),
  reference_weeks      INTEGER NOT NULL,
  scaled_to_counter    INTEGER NOT NULL CHECK (scaled_to_counter IN (0, 1)),
  import_wh            INTEGER NOT NULL CHECK (import_wh >= 0),
  export_wh            INTEGER CHECK (export_wh IS NULL OR export_wh >= 0),
  unallocated_import_wh INTEGER,
  unallocated_export_wh INTEGER,
  created_ms           INTEGER NOT NULL,
  created_by           TEXT NOT NULL
);
CREATE INDEX substitutes_by_meter ON substitutes(meter_id, from_ms);
`,
  },
  {
    version: 11,
    name: "billing schedule: the periods a scheduled run has billed, and the open billing alerts",
    // docs/decisions/0114 and 0115: a period the schedule has run is not run again after a restart (even when the run
    // was refused and left no draft), and an alert raised before a restart is resolved once, not raised again.
    sql: `
CREATE TABLE billing_schedule_runs (
  community_id  TEXT NOT NULL REFERENCES communities(id),
  period        TEXT NOT NULL,
  mode          TEXT NOT NULL CHECK (mode IN ('draft', 'issue')),
  due_ms        INTEGER NOT NULL,
  ran_ms        INTEGER NOT NULL,
  outcome       TEXT NOT NULL,
  actor         TEXT NOT NULL,
  PRIMARY KEY (community_id, period)
);
CREATE TABLE billing_alerts (
  community_id  TEXT NOT NULL REFERENCES communities(id),
  key           TEXT NOT NULL,
  code          TEXT NOT NULL,
  severity      TEXT NOT NULL,
  since_ms      INTEGER NOT NULL,
  params        TEXT NOT NULL,
  PRIMARY KEY (community_id, key)
);
`,
  },
  {
    version: 12,
    name: "advance payments: the amount and rhythm of each tenancy's advances per year",
    // A row means the tenancy is billed by advances and an annual statement that year, not by periodic invoices
    // (docs/payments.md "Advance payments and the annual statement", docs/decisions/0123). The advance invoices and
    // statements themselves are invoices (snapshot.advance / snapshot.statement): same numbers, references, payments.
    sql: `
CREATE TABLE advance_plans (
  community_id  TEXT NOT NULL REFERENCES communities(id),
  tenancy_id    TEXT NOT NULL,
  year          INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2999),
  rhythm        TEXT NOT NULL CHECK (rhythm IN ('monthly','quarterly')),
  amount        TEXT NOT NULL,
  set_ms        INTEGER NOT NULL,
  set_by        TEXT NOT NULL,
  PRIMARY KEY (community_id, tenancy_id, year)
);
`,
  },
  {
    version: 13,
    name: "LEG: producer statements, and the grid operator's per-member local/residual split (E66)",
    // docs/decisions/0131, 0132. A statement is numbered once (G<year>-0001, never deleted, so counting is gapless) and
    // frozen as JSON; the operator's split is kept apart from the metered intervals, which it must never overwrite.
    sql: `
CREATE TABLE leg_statements (
  id              INTEGER PRIMARY KEY,
  community_id    TEXT NOT NULL REFERENCES communities(id),
  tenancy_key     TEXT NOT NULL,
  period_from     TEXT NOT NULL,
  period_to       TEXT NOT NULL,
  number          TEXT NOT NULL,
  statement_date  TEXT NOT NULL,
  currency        TEXT NOT NULL,
  total           TEXT NOT NULL,
  snapshot        TEXT NOT NULL,
  created_ms      INTEGER NOT NULL,
  created_by      TEXT NOT NULL,
  UNIQUE (community_id, number),
  UNIQUE (community_id, tenancy_key, period_from, period_to)
);
CREATE TABLE leg_operator_split (
  meter_id     INTEGER NOT NULL REFERENCES meters(id),
  start_ms     INTEGER NOT NULL,
  share        TEXT NOT NULL CHECK (share IN ('local', 'residual')),
  wh           INTEGER NOT NULL CHECK (wh >= 0),
  quality      TEXT NOT NULL,
  document_id  TEXT,
  created_ms   INTEGER NOT NULL,
  PRIMARY KEY (meter_id, start_ms, share)
) WITHOUT ROWID;
`,
  },
  {
    version: 14,
    name: "intervals keep the meter's own counter at their end, for the readings an invoice prints",
    // docs/decisions/0133: the raw import counter (Wh, as the meter shows it) at the interval's end, written by the
    // interval builder for counter-based meters; NULL for operator data and load profiles (they have no counter) and
    // for rows written before. A nullable column without default is added without rebuilding the table.
    sql: `ALTER TABLE intervals ADD COLUMN counter_wh INTEGER;`,
  },
  {
    version: 15,
    name: "intervals without the index by time: every query reads them by meter over the primary key",
    // docs/decisions/0141: the index (start_ms) took about a quarter of the file (0.5 MB per meter-year) and no query
    // used it: reads, retention and counts name their meters and search (meter_id, start_ms). Its pages go to the free
    // list and are reused by new rows; the file shrinks only by a VACUUM (docs/raspberry-pi.md "Retention and VACUUM").
    sql: `DROP INDEX IF EXISTS intervals_by_start;`,
  },
  {
    version: 16,
    name: "sealed days: a meter's complete UTC days kept as two blobs beside their rows, for reads of long periods",
    // docs/decisions/0149: a derived copy, never the source. The rows in intervals stay what every writer writes; a
    // trigger drops a day's copy in the same statement as any write to one of its rows, so a copy exists only while it
    // equals its rows. import_wh and export_wh are 96 little-endian int32 (export NULL when all 96 are 0 or unknown).
    // Keyed by the rowid itself (meter id x 65536 + day number, to the year 2149): a meter's days are one range of the
    // table's own b-tree, with no second index to look each up in; rows of ~400 to 800 bytes suit a rowid table.
    sql: `
CREATE TABLE interval_days (
  id         INTEGER PRIMARY KEY CHECK (id = meter_id * 65536 + day_ms / 86400000),
  meter_id   INTEGER NOT NULL REFERENCES meters(id),
  day_ms     INTEGER NOT NULL CHECK (day_ms >= 0 AND day_ms % 86400000 = 0 AND day_ms < 65536 * 86400000),
  import_wh  BLOB NOT NULL CHECK (length(import_wh) = 384),
  export_wh  BLOB CHECK (export_wh IS NULL OR length(export_wh) = 384)
);
CREATE TRIGGER intervals_unseal_on_insert AFTER INSERT ON intervals BEGIN
  DELETE FROM interval_days WHERE id = NEW.meter_id * 65536 + NEW.start_ms / 86400000;
END;
CREATE TRIGGER intervals_unseal_on_update AFTER UPDATE ON intervals BEGIN
  DELETE FROM interval_days WHERE id = NEW.meter_id * 65536 + NEW.start_ms / 86400000;
END;
CREATE TRIGGER intervals_unseal_on_rekey AFTER UPDATE OF meter_id, start_ms ON intervals BEGIN
  DELETE FROM interval_days WHERE id = OLD.meter_id * 65536 + OLD.start_ms / 86400000;
END;
CREATE TRIGGER intervals_unseal_on_delete AFTER DELETE ON intervals BEGIN
  DELETE FROM interval_days WHERE id = OLD.meter_id * 65536 + OLD.start_ms / 86400000;
END;
`,
  },
  {
    version: 17,
    name: "grid operator deliveries name their document by number: the document's id and time stored once",
    // docs/decisions/0151: every delivery row repeated its SDAT DocumentID (about 52 characters) and the document's
    // creation time, more than half of the table (3.9 MB per meter-year and direction). A document is its id and its
    // time together (the import compares the times; an id sent twice with two times stays two documents). Nothing
    // references operator_deliveries, so the rebuild drops and renames it.
    sql: `
CREATE TABLE operator_documents (
  id           INTEGER PRIMARY KEY,
  document_id  TEXT NOT NULL,
  created_ms   INTEGER NOT NULL,
  UNIQUE (document_id, created_ms)
);
INSERT INTO operator_documents (document_id, created_ms)
  SELECT document_id, created_ms FROM operator_deliveries GROUP BY document_id, created_ms ORDER BY MIN(updated_ms), document_id, created_ms;
CREATE TABLE operator_deliveries_v17 (
  meter_id     INTEGER NOT NULL REFERENCES meters(id),
  start_ms     INTEGER NOT NULL CHECK (start_ms % 900000 = 0),
  direction    TEXT NOT NULL CHECK (direction IN ('import','export')),
  energy_wh    INTEGER CHECK (energy_wh IS NULL OR energy_wh >= 0),
  quality      TEXT NOT NULL CHECK (quality IN ('measured','estimated','missing')),
  condition    TEXT,
  document     INTEGER NOT NULL REFERENCES operator_documents(id),
  updated_ms   INTEGER NOT NULL,
  PRIMARY KEY (meter_id, start_ms, direction),
  CHECK ((quality = 'missing') = (energy_wh IS NULL))
) WITHOUT ROWID;
INSERT INTO operator_deliveries_v17 (meter_id, start_ms, direction, energy_wh, quality, condition, document, updated_ms)
  SELECT d.meter_id, d.start_ms, d.direction, d.energy_wh, d.quality, d.condition, o.id, d.updated_ms
  FROM operator_deliveries d JOIN operator_documents o ON o.document_id = d.document_id AND o.created_ms = d.created_ms;
DROP TABLE operator_deliveries;
ALTER TABLE operator_deliveries_v17 RENAME TO operator_deliveries;
`,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
