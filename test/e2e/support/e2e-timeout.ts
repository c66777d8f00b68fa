// Starting n8n, running a workflow and waiting for it take seconds, not milliseconds. A bound, not
// an expectation: jest's project-level testTimeout is not applied to tests, so it is set here.
jest.setTimeout(180_000);
