import { DialPlan } from '../readers/dialplans/model';
import { DialPlanServer } from '../simulate/servers';
import { Finding } from './finding';
import { Fix } from '../fixes/model';
import { Kst } from '../simulate/kst';
import { Pools } from '../simulate/pools';
import { Script } from '../readers/scripts/model';
import { Topology } from '../readers/topology/model';
import { Input } from '../readers/registry';

/** Everything a rule may look at, built once per analysis. */
export interface RuleContext {
  inputs: Input[];
  topologies: Topology[];
  plans: DialPlan[];
  servers: DialPlanServer[];
  scripts: Script[];
  pools: Pools;
  kst: Kst;
  assumedVersion: number;
  report(f: Finding): void;
  /** Registers a fix (once per id) and returns its id for `Finding.fixes`. */
  offer(fix: Fix): string;
}
