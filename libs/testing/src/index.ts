export {
  useTestDatabase,
  uniqueDbName,
  testServerUri,
  TEST_URI_VARIABLE,
  type TestDatabase,
} from './test-database';
export {
  configureQueryPlanGuard,
  recordQueries,
  unservedQueries,
  QueryPlanGuardError,
  GUARDED_COLLECTIONS,
  type QueryRecorder,
} from './query-plan/query-plan-guard';
export {
  checkQuery,
  explainQueries,
  findUnservedQueries,
  filterShapeKey,
  formatFindings,
  type GuardConfig,
  type GuardException,
  type GuardIndex,
  type Finding,
  type Verdict,
  type Explained,
} from './query-plan/plan-checker';
export { queriesOfCommand, shapeOfFilter, literalPrefixOfRegex, type RecordedQuery, type QueryKind } from './query-plan/recorded-query';
