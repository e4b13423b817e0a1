/**
 * cdktf's Testing matchers (`toHaveResourceWithProperties` and the rest), for the files that use them: each
 * imports this module instead of every test file loading cdktf in a setup file.
 */
import { Testing } from "cdktf";
import "cdktf/lib/testing/adapters/jest";

Testing.setupJest();
