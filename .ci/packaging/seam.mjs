// ESM: crmkit/storage through the package's "import" entry point (see seam.cjs).
import * as crmkit from 'crmkit';
import * as storage from 'crmkit/storage';
import seam from './seam.cjs';

seam(crmkit, storage);
console.log('ESM: crmkit/storage works');
