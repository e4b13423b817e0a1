import { Testing } from "CDK_CORE";
import "CDK_CORE/lib/testing/adapters/jest";

Testing.setupJest();
