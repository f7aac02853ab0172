import { Alert, Button, Code, CopyButton, Group, Text } from '@mantine/core';
import { useState } from 'react';

/**
 * A signing secret, hidden until someone asks to see it. The API shows a new secret once (on
 * create and on rotation): this says so, and offers to copy it.
 */
export function SecretReveal({ secret, once }: { secret: string; once: boolean }) {
  const [shown, setShown] = useState(false);
  return (
    <Alert color="yellow" title={once ? 'The signing secret: shown this once' : 'Signing secret'} role="status">
      <Text size="sm" mb="xs">
        {once ? 'Copy it into the receiver now; the console and the API will not show it again unless a key with secrets:reveal asks.' : 'Verify webhooks with it (Standard Webhooks).'}
      </Text>
      <Group gap="xs">
        {shown ? (
          <Code aria-label="Secret" style={{ wordBreak: 'break-all' }}>
            {secret}
          </Code>
        ) : (
          <Button size="xs" variant="default" onClick={() => setShown(true)}>
            Reveal secret
          </Button>
        )}
        <CopyButton value={secret}>{({ copied, copy }) => <Button size="xs" variant="default" onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>}</CopyButton>
      </Group>
    </Alert>
  );
}
