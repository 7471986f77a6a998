export {
  useTestDatabase,
  uniqueDbName,
  testServerUri,
  TEST_URI_VARIABLE,
  type TestDatabase,
} from './test-database';
