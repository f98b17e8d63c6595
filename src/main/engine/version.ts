// Engine version, written into model files and reports.

/** Bumped when model files or features change meaning. */
export const ENGINE_VERSION = '0.1.0'
