import type { Kafka } from 'kafkajs';

/** Deletes every topic a benchmark created under its prefix; a failure to delete is left to the broker. */
export async function deleteBenchTopics(kafka: Kafka, prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const mine = (await admin.listTopics()).filter((name) => name.startsWith(prefix));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
