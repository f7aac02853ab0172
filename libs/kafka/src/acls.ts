import { KAFKA_PRINCIPALS, kafkaAcls, type KafkaAcl, type KafkaPrincipal } from '@hookstream/contracts';
import kafkajs, { type Kafka } from 'kafkajs';

// kafkajs's CommonJS exports these enums where Node's ESM loader cannot name them: read them off
// the default export.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

const OPERATIONS: Record<KafkaAcl['operation'], kafkajs.AclOperationTypes> = {
  Read: AclOperationTypes.READ,
  Write: AclOperationTypes.WRITE,
  Describe: AclOperationTypes.DESCRIBE,
  Delete: AclOperationTypes.DELETE,
};

/**
 * Grants each principal its ACLs (KAFKA_ACCESS) under a topic prefix, as the broker's super user.
 * Creating an ACL that exists is a no-op on the broker, so this is safe to repeat.
 */
export async function applyKafkaAcls(kafka: Kafka, prefix: string, principals: readonly KafkaPrincipal[] = KAFKA_PRINCIPALS): Promise<number> {
  const acl = principals.flatMap((principal) =>
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
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createAcls({ acl });
  } finally {
    await admin.disconnect();
  }
  return acl.length;
}
