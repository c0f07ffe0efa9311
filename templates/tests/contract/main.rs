//! Contract tests: one test per endpoint of spec/, each against a mock server on 127.0.0.1,
//! checking the method, path, query, JSON body and bearer token the client sends and that a
//! realistic response (nulls and unset timestamps included) decodes.

mod support;

#[rustfmt::skip]
mod cases;
