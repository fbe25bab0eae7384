// Exit statuses and the errors that carry them: 0 success, 1 internal error (a bug in meshsim),
// 2 invalid input or arguments. Errors meant for the user print their message, never a stack trace.

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_INPUT = 2;

/** A problem with what the user gave us (files, options, scenario text); exit status 2. */
export class InputError extends Error {}
