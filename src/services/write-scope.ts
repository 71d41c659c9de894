/**
 * Which initiatives a caller may change. Services apply it to the rows they load, inside their
 * transaction, and answer NOT_FOUND outside it: a scoped token cannot tell "not yours" from
 * "does not exist".
 */
export type WriteScope = (initiativeId: number) => boolean;

export const EVERYWHERE: WriteScope = () => true;
