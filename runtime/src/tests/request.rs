//! The request's path and query, which only the call path reads.

use crate::{QueryValue, Request};

#[test]
fn path_template_edge_cases_do_not_panic() {
    const ODD: crate::Endpoint = crate::Endpoint {
        method: crate::Method::Delete,
        path: "/a/{x}/b/{unclosed",
        idempotent: true,
        auth: true,
    };
    let request = Request::new(&ODD, &["1"]);
    assert_eq!(request.path_and_query(), "/a/1/b/{unclosed");
    let mut pairs = Vec::new();
    (&&1_i64).append_to("n", &mut pairs);
    3_u64.append_to("n", &mut pairs);
    (-2_i32).append_to("n", &mut pairs);
    assert_eq!(
        pairs,
        [
            ("n", "1".to_owned()),
            ("n", "3".to_owned()),
            ("n", "-2".to_owned())
        ]
    );
}
