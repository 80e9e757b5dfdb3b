import { configure } from "@testing-library/react";

// `findBy*` and `waitFor` wait for a condition, never for the machine: on a busy 2-core CI
// runner a first render can take seconds, so give up only after 15 s (the default is 1 s).
configure({ asyncUtilTimeout: 15_000 });
