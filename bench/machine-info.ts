// Benchmarks stamp their results with the engine's machine facts (one implementation, shared with `pbas demo --results`).
export { draftMark, machineInfo, trackPeakMemory } from '../src/main/engine/util/machine-info'
