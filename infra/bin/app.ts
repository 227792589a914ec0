#!/usr/bin/env node
import { createMeshcronApp } from '../meshcron-app';

// Settings come from cdk.json `context` or `cdk synth -c key=value`; see infra/config/constants.ts.
createMeshcronApp().app.synth();
