// The regf writer's entry points: writeHive for a clean primary hive from a key tree, buildHive
// for the same with where its deleted values were put, writeDirtyHive for a primary that holds
// its first state and a .LOG1 whose HvLE entries bring it to the last.
export { buildHive, writeHive, type BuiltHive, type HiveKey, type WriteHiveOptions } from './writer';
export { type HiveValue, type RegTypeName, type ValueData } from './key-value';
export { type DeletedValuePlace } from './deleted-values';
export { writeDirtyHive, type DirtyHive } from './transaction-log';
