import { iamProtocol } from '../protocol/iam.js';
import type { ActionDef, Handler, SimService } from '../service.js';
import * as profiles from './instance-profiles.js';
import * as roles from './roles.js';

const reads = (fn: Handler): ActionDef => ({ fn, mutating: false });
const changes = (fn: Handler): ActionDef => ({ fn, mutating: true });

/** IAM: roles with inline policies and tags, instance profiles, service-linked roles. */
export const iamService: SimService = {
  protocol: iamProtocol,
  actions: {
    CreateRole: changes(roles.createRole),
    GetRole: reads(roles.getRole),
    DeleteRole: changes(roles.deleteRole),
    TagRole: changes(roles.tagRole),
    UntagRole: changes(roles.untagRole),
    ListRoleTags: reads(roles.listRoleTags),
    PutRolePolicy: changes(roles.putRolePolicy),
    GetRolePolicy: reads(roles.getRolePolicy),
    ListRolePolicies: reads(roles.listRolePolicies),
    DeleteRolePolicy: changes(roles.deleteRolePolicy),
    CreateServiceLinkedRole: changes(roles.createServiceLinkedRole),
    CreateInstanceProfile: changes(profiles.createInstanceProfile),
    GetInstanceProfile: reads(profiles.getInstanceProfile),
    DeleteInstanceProfile: changes(profiles.deleteInstanceProfile),
    AddRoleToInstanceProfile: changes(profiles.addRoleToInstanceProfile),
    RemoveRoleFromInstanceProfile: changes(profiles.removeRoleFromInstanceProfile),
    ListInstanceProfilesForRole: reads(profiles.listInstanceProfilesForRole),
    TagInstanceProfile: changes(profiles.tagInstanceProfile),
    ListInstanceProfileTags: reads(profiles.listInstanceProfileTags),
  },
};
