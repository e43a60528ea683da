// The conformance suite from the installed package, under the project's own vitest.
import { memoryStorage } from 'crmkit';
import { storageConformance } from 'crmkit/testing/conformance';

storageConformance('memory storage (packed crmkit)', () => memoryStorage());
