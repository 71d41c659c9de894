import type { ChangeEvent } from '../../domain/change-events.js';
import type { UseCase, WriteStep } from './use-case.js';

/**
 * Runs another use-case inside this write's transaction and keeps its events for the log: a
 * write made of many (an import) is still one write, locked, logged and published once.
 */
export async function runStep<P, R>(
  at: WriteStep,
  events: ChangeEvent[],
  useCase: UseCase<P, R>,
  props: P,
): Promise<R> {
  useCase.validate?.(props);
  const outcome = await useCase.run(at, props);
  events.push(...outcome.events);
  return outcome.result;
}
