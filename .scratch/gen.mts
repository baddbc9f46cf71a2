import { writeLegacyDataDir } from '../test/helpers/legacy-fixture.ts';
await writeLegacyDataDir(process.argv[2]!, { nested: 100, flat: 40, maxMessages: 200 });
