import { kafkaAcls, type KafkaAcl, type KafkaPrincipal } from '@hookstream/contracts';
import kafkajs, { type AclEntry } from 'kafkajs';

// kafkajs's CommonJS exports these enums where Node's ESM loader cannot name them: read them off
// the default export.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

const OPERATIONS: Record<KafkaAcl['operation'], kafkajs.AclOperationTypes> = {
  Read: AclOperationTypes.READ,
  Write: AclOperationTypes.WRITE,
  Describe: AclOperationTypes.DESCRIBE,
  Delete: AclOperationTypes.DELETE,
};

/** KAFKA_ACCESS's grants for these principals under a topic prefix, as the admin client takes them. */
export function kafkaAclEntries(prefix: string, principals: readonly KafkaPrincipal[]): AclEntry[] {
  return principals.flatMap((principal) =>
    kafkaAcls(principal, prefix).map((a) => ({
      resourceType: a.resourceType === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
      resourceName: a.name,
      resourcePatternType: a.patternType === 'literal' ? ResourcePatternTypes.LITERAL : ResourcePatternTypes.PREFIXED,
      principal: `User:${principal}`,
      host: '*',
      operation: OPERATIONS[a.operation],
      permissionType: AclPermissionTypes.ALLOW,
    })),
  );
}
