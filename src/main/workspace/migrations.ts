// Workspace schema, as one ordered list of migrations for SQLite and PostgreSQL; the database records how many have run.
import type { SqlDialect } from './sql/sql-driver'

/** Each entry upgrades the schema by one version; never edit a released entry, append a new one. */
export const MIGRATIONS: readonly string[] = [
  // 1: products, their data sets, training runs and per-epoch figures
  `CREATE TABLE products (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL UNIQUE,
     created_at TEXT NOT NULL
   );
   CREATE TABLE datasets (
     id TEXT PRIMARY KEY,
     product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
     root TEXT NOT NULL,
     category TEXT,
     layout TEXT NOT NULL,
     summary_json TEXT NOT NULL,
     imported_at TEXT NOT NULL
   );
   CREATE TABLE runs (
     id TEXT PRIMARY KEY,
     product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
     dataset_id TEXT REFERENCES datasets(id) ON DELETE SET NULL,
     state TEXT NOT NULL,
     config_json TEXT NOT NULL,
     model_dir TEXT,
     created_at TEXT NOT NULL,
     started_at TEXT,
     finished_at TEXT,
     error TEXT,
     metrics_json TEXT
   );
   CREATE TABLE run_epochs (
     run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
     epoch INTEGER NOT NULL,
     means_json TEXT NOT NULL,
     validation REAL,
     seconds REAL NOT NULL,
     PRIMARY KEY (run_id, epoch)
   );`,
  // 2: reviewer verdicts per image of a run (who and when)
  `CREATE TABLE verdicts (
     run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
     image_path TEXT NOT NULL,
     verdict TEXT NOT NULL CHECK (verdict IN ('defect', 'good', 'unsure')),
     reviewer TEXT NOT NULL,
     at TEXT NOT NULL,
     PRIMARY KEY (run_id, image_path)
   );`,
  // 3: evaluations of a run's model (test split or a folder), their per-image scores, and good images
  //    reviewers added to a product's training set
  `CREATE TABLE evaluations (
     id TEXT PRIMARY KEY,
     run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
     state TEXT NOT NULL,
     source TEXT NOT NULL,
     category TEXT,
     dir TEXT NOT NULL,
     created_at TEXT NOT NULL,
     error TEXT,
     metrics_json TEXT,
     threshold_json TEXT
   );
   CREATE TABLE evaluation_items (
     evaluation_id TEXT NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
     idx INTEGER NOT NULL,
     image_path TEXT NOT NULL,
     score REAL NOT NULL,
     label TEXT,
     defect_type TEXT,
     has_mask INTEGER NOT NULL,
     nearest_path TEXT,
     PRIMARY KEY (evaluation_id, idx)
   );
   CREATE TABLE training_additions (
     product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
     image_path TEXT NOT NULL,
     added_by TEXT NOT NULL,
     added_at TEXT NOT NULL,
     PRIMARY KEY (product_id, image_path)
   );`,
  // 4: runs named for people (a default from their settings, editable) with a free-text note, the duration
  //    estimate shown when they started; measured step and feature-extraction times per machine and settings
  `ALTER TABLE runs ADD COLUMN name TEXT;
   ALTER TABLE runs ADD COLUMN note TEXT;
   ALTER TABLE runs ADD COLUMN estimate_seconds REAL;
   CREATE TABLE run_cost_measures (
     key TEXT PRIMARY KEY,
     measure_json TEXT NOT NULL,
     measured_at TEXT NOT NULL
   );`,
  // 5: the region to inspect (and areas to ignore) drawn on a product, and the one each run trained with
  `ALTER TABLE products ADD COLUMN region_json TEXT;
   ALTER TABLE runs ADD COLUMN region_json TEXT;`,
  // 6: a shared workspace: every verdict ever given (two reviewers on one image: both kept, the later one current),
  //    the order evaluations were created in (SQLite's rowid has no PostgreSQL twin), the workspace's settings
  //    (its shared file folder), and the stations writing to it (the fleet) with the model pushed to each
  `CREATE TABLE verdict_history (
     run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
     image_path TEXT NOT NULL,
     verdict TEXT CHECK (verdict IN ('defect', 'good', 'unsure')),
     reviewer TEXT NOT NULL,
     at TEXT NOT NULL
   );
   CREATE INDEX verdict_history_image ON verdict_history (run_id, image_path);
   INSERT INTO verdict_history (run_id, image_path, verdict, reviewer, at) SELECT run_id, image_path, verdict, reviewer, at FROM verdicts;
   ALTER TABLE evaluations ADD COLUMN seq INTEGER;
   UPDATE evaluations SET seq = (SELECT COUNT(*) FROM evaluations e2 WHERE e2.created_at < evaluations.created_at OR (e2.created_at = evaluations.created_at AND e2.id <= evaluations.id));
   CREATE TABLE workspace_settings (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );
   CREATE TABLE stations (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     host TEXT NOT NULL,
     run_id TEXT REFERENCES runs(id) ON DELETE SET NULL,
     pushed_run_id TEXT REFERENCES runs(id) ON DELETE SET NULL,
     status_json TEXT NOT NULL,
     seen_at TEXT NOT NULL
   );`,
]

/**
 * A migration as the database takes it. One definition serves both: the only type that differs is REAL, which is
 * 8 bytes in SQLite and 4 in PostgreSQL (scores would lose digits), so PostgreSQL gets DOUBLE PRECISION.
 */
export function renderMigration(sql: string, dialect: SqlDialect): string {
  return dialect === 'postgres' ? sql.replace(/\bREAL\b/g, 'DOUBLE PRECISION') : sql
}
