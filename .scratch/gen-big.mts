import { writeLegacyDataDir } from '../test/helpers/legacy-fixture.ts';
await writeLegacyDataDir(process.argv[2]!, { nested: 1500, flat: 500, maxMessages: 200 });
