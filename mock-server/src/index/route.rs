//! The route table: a segment trie built at start-up. A literal segment beats `{param}`;
//! when a literal branch dead-ends, the param branch is tried.

use std::borrow::Cow;

use http::{HeaderValue, Method};
use percent_encoding::percent_decode_str;

/// What a route leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// An operation, by index.
    Operation(usize),
    /// An RPC group (one real path, operations chosen by a parameter), by index.
    Rpc(usize),
}

/// One path shape and the methods served on it.
#[derive(Debug)]
pub(crate) struct Endpoint {
    /// Owning service (the first spec that declared this shape).
    pub(crate) service: usize,
    methods: Vec<(Method, Target, String)>,
    /// `Allow` header for 405 answers.
    pub(crate) allow: HeaderValue,
}

impl Endpoint {
    fn target(&self, method: &Method) -> Option<Target> {
        self.methods
            .iter()
            .find(|(m, ..)| m == method)
            .map(|(_, t, _)| *t)
    }
}

#[derive(Debug, Default)]
struct Node {
    /// A node has few literal children (one to three here): a scan compares fewer bytes
    /// than hashing the segment would read.
    literals: Vec<(Box<str>, Node)>,
    param: Option<Box<Node>>,
    endpoint: Option<Endpoint>,
    /// The service of the first route through this node: whose 404 to answer with.
    service: Option<usize>,
}

impl Node {
    /// The child for literal `text`, created on first use.
    fn literal_mut(&mut self, text: &str) -> &mut Node {
        let at = match self.literals.iter().position(|(t, _)| **t == *text) {
            Some(at) => at,
            None => {
                self.literals.push((text.into(), Node::default()));
                self.literals.len() - 1
            }
        };
        &mut self.literals[at].1
    }
}

/// Segments of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// Must match exactly.
    Literal(String),
    /// Captures one segment.
    Param(String),
}

/// Splits `/a/{b}/c` into segments; a segment that mixes text and `{param}` is refused.
pub(crate) fn parse_template(template: &str) -> Result<Vec<Segment>, String> {
    let body = template
        .strip_prefix('/')
        .ok_or_else(|| format!("path {template:?} does not start with '/'"))?;
    body.split('/')
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) if !name.contains(['{', '}']) => Ok(Segment::Param(name.to_owned())),
                _ if segment.contains(['{', '}']) => Err(format!(
                    "path segment {segment:?}: only whole-segment {{params}} are supported"
                )),
                _ => Ok(Segment::Literal(segment.to_owned())),
            },
        )
        .collect()
}

/// The outcome of a lookup.
#[derive(Debug)]
pub(crate) enum Lookup<'r, 'p> {
    /// Path and method match.
    Route {
        endpoint: &'r Endpoint,
        target: Target,
        /// Raw (still percent-encoded) captured segments, in template order.
        captures: Vec<&'p str>,
    },
    /// The path matches, the method does not.
    WrongMethod(&'r Endpoint),
    /// Nothing matches; the service whose routes share the longest prefix, if any.
    NotFound(Option<usize>),
}

/// The precompiled route table.
#[derive(Debug, Default)]
pub(crate) struct Router {
    root: Node,
}

impl Router {
    /// Adds a route. `label` describes it in ambiguity errors. Returns the label of the
    /// route already registered for the same method and shape, if any.
    pub(crate) fn insert(
        &mut self,
        segments: &[Segment],
        method: Method,
        target: Target,
        service: usize,
        label: String,
    ) -> Result<(), String> {
        let mut node = &mut self.root;
        for segment in segments {
            node = match segment {
                Segment::Literal(text) => node.literal_mut(text),
                Segment::Param(_) => node.param.get_or_insert_with(Box::default),
            };
            node.service.get_or_insert(service);
        }
        let endpoint = node.endpoint.get_or_insert_with(|| Endpoint {
            service,
            methods: Vec::new(),
            allow: HeaderValue::from_static(""),
        });
        if let Some((.., existing)) = endpoint.methods.iter().find(|(m, ..)| *m == method) {
            if endpoint.target(&method) == Some(target) {
                return Ok(());
            }
            return Err(existing.clone());
        }
        endpoint.methods.push((method, target, label));
        let allow = endpoint
            .methods
            .iter()
            .map(|(m, ..)| m.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        endpoint.allow = HeaderValue::try_from(allow).unwrap_or(HeaderValue::from_static(""));
        Ok(())
    }

    /// Finds the route for a raw request path.
    pub(crate) fn find<'r, 'p>(&'r self, method: &Method, path: &'p str) -> Lookup<'r, 'p> {
        let Some(rest) = path.strip_prefix('/') else {
            return Lookup::NotFound(None);
        };
        let mut walk = Walk {
            captures: Vec::new(),
            deepest: None,
        };
        match walk.node(&self.root, Some(rest), 0) {
            Some(endpoint) => match endpoint.target(method) {
                Some(target) => Lookup::Route {
                    endpoint,
                    target,
                    captures: walk.captures,
                },
                None => Lookup::WrongMethod(endpoint),
            },
            None => Lookup::NotFound(walk.deepest.map(|(_, service)| service)),
        }
    }
}

/// One lookup's state. The path is consumed a segment at a time, with no list of segments
/// built first: collecting them cost more than the rest of the walk.
struct Walk<'p> {
    captures: Vec<&'p str>,
    /// `(depth, service)` of the deepest node reached: whose 404 to answer with.
    deepest: Option<(usize, usize)>,
}

impl<'p> Walk<'p> {
    /// The endpoint for `rest` (the path after `node`'s segment; `None` past the last one).
    fn node<'r>(
        &mut self,
        node: &'r Node,
        rest: Option<&'p str>,
        depth: usize,
    ) -> Option<&'r Endpoint> {
        let Some(rest) = rest else {
            return node.endpoint.as_ref();
        };
        // `find(char)` and `contains(&u8)` go through memchr, which reads a word at a time:
        // the path's bytes are the lookup's main cost.
        let (first, tail) = match rest.find('/') {
            Some(at) => (&rest[..at], Some(&rest[at + 1..])),
            None => (rest, None),
        };
        let literal = match node.literals.is_empty() {
            true => None,
            false => {
                let wanted = decoded(first);
                node.literals
                    .iter()
                    .find(|(text, _)| **text == *wanted)
                    .map(|(_, n)| (n, false))
            }
        };
        let param = node.param.as_deref().map(|n| (n, true));
        for (child, is_param) in literal.into_iter().chain(param) {
            // `.` and `..` are never a value: clients remove them (RFC 3986 5.2.4) and the
            // gateways normalize them away, so no route is reached through one.
            if is_param && is_dot_segment(first) {
                continue;
            }
            if let Some(service) = child.service
                && self.deepest.is_none_or(|(deepest, _)| depth + 1 > deepest)
            {
                self.deepest = Some((depth + 1, service));
            }
            if is_param {
                self.captures.push(first);
            }
            if let Some(found) = self.node(child, tail, depth + 1) {
                return Some(found);
            }
            if is_param {
                self.captures.pop();
            }
        }
        None
    }
}

/// `.` or `..`, also percent-encoded (`%2e%2E`).
fn is_dot_segment(segment: &str) -> bool {
    // Most segments are told apart by their first byte, without decoding.
    matches!(segment.as_bytes().first(), Some(b'.' | b'%'))
        && matches!(decoded(segment).as_ref(), "." | "..")
}

fn decoded(segment: &str) -> Cow<'_, str> {
    if segment.as_bytes().contains(&b'%') {
        percent_decode_str(segment).decode_utf8_lossy()
    } else {
        Cow::Borrowed(segment)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn router(templates: &[(&str, Method)]) -> Router {
        let mut router = Router::default();
        for (i, (template, method)) in templates.iter().enumerate() {
            let segments = parse_template(template).unwrap();
            router
                .insert(
                    &segments,
                    method.clone(),
                    Target::Operation(i),
                    0,
                    (*template).to_owned(),
                )
                .unwrap();
        }
        router
    }

    #[test]
    fn literal_beats_param_and_backtracks() {
        let router = router(&[
            ("/a/{x}/d", Method::GET),
            ("/a/b/c", Method::GET),
            ("/a/b", Method::GET),
        ]);
        let found = |p| match router.find(&Method::GET, p) {
            Lookup::Route {
                target, captures, ..
            } => Some((target, captures)),
            _ => None,
        };
        assert_eq!(found("/a/b/c"), Some((Target::Operation(1), vec![])));
        assert_eq!(found("/a/b/d"), Some((Target::Operation(0), vec!["b"])));
        assert_eq!(found("/a/b"), Some((Target::Operation(2), vec![])));
        assert_eq!(found("/a/b/c/"), None);
        assert_eq!(found("/a/../d"), None);
        assert_eq!(found("/a/%2e%2E/d"), None);
        assert_eq!(found("/a/./d"), None);
        assert_eq!(
            found("/a/..x/d").map(|(t, _)| t),
            Some(Target::Operation(0))
        );
        assert!(
            matches!(router.find(&Method::POST, "/a/b"), Lookup::WrongMethod(e) if e.allow == "GET")
        );
    }

    #[test]
    fn same_shape_and_method_is_ambiguous() {
        let mut router = router(&[("/a/{x}", Method::GET)]);
        let segments = parse_template("/a/{y}").unwrap();
        let err = router.insert(
            &segments,
            Method::GET,
            Target::Operation(9),
            0,
            "other".into(),
        );
        assert_eq!(err, Err("/a/{x}".to_owned()));
    }

    #[test]
    fn mixed_segments_are_refused() {
        assert!(parse_template("/a/{x}.json").is_err());
        assert!(parse_template("a").is_err());
    }
}
