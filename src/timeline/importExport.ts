/**
 * Export and import of timelines, in one import path for the app: NDJSON export (exportNdjson.ts), import of that
 * format and of HAR files (importTimeline.ts, importHar.ts).
 */
export * from './exportNdjson'
export type { ImportMeta, ImportProgress, ImportResult } from './importCommon'
export { importTimeline, importTimelineInSlices } from './importTimeline'
