// Options several pbas commands share, declared once so their help reads the same everywhere.
import type { OptionSpec } from './command-spec'

/** `--category C`: the category folder inside an MVTec-style collection. */
export const CATEGORY_OPTION: OptionSpec = { type: 'string', value: 'C', description: 'category folder inside DIR (MVTec-style collections)', defaultText: 'DIR itself' }

/** --model, the model folder every command that uses a trained model takes. */
export const MODEL_OPTION: OptionSpec = { type: 'string', value: 'MODEL', required: true, description: 'model folder written by `pbas train`' }
