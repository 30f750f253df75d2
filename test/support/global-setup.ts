import { prepareTemplate } from './databases';

export default async function globalSetup(): Promise<void> {
  await prepareTemplate();
}
