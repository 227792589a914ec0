// The same polyfill the local job launcher loads (aws-local-stepfunctions needs Promise.withResolvers, Node 22+).
import '../../../functions/adapters/promise-with-resolvers';

export {};
