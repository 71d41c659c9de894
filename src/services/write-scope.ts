/**
 * Which initiatives a caller may change. The write pipeline hands it to every use-case (which
 * answers NOT_FOUND outside it: a scoped token cannot tell "not yours" from "does not exist")
 * and checks every event against it before anything is logged.
 */
export type WriteScope = (initiativeId: number) => boolean;

/**
 * Every initiative: only for the operator's own writes (the CLI, the seed), named so each use
 * is explicit. GraphQL writes get their scope from the caller's token.
 */
export const ALL_INITIATIVES: WriteScope = () => true;
