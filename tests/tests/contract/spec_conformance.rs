//! The specs are well-formed OpenAPI 3.0 that progenitor and the mock can use, and every
//! example they document follows its own schema. Each test reports every failure at once.

use keygate_contract_tests::examples::{self, Operation};
use keygate_contract_tests::specs::{self, SpecFile};
use keygate_spec::json_schema;
use serde_json::Value;

fn assert_no_failures(what: &str, failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{what}: {} failure(s)\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

fn each_operation(
    mut check: impl FnMut(&SpecFile, &Operation<'_>, &mut Vec<String>),
) -> Vec<String> {
    let mut failures = Vec::new();
    for spec in specs::load_all() {
        let operations = examples::operations(&spec);
        if operations.is_empty() {
            failures.push(format!("{}: no operations", spec.file_name));
        }
        for op in &operations {
            check(&spec, op, &mut failures);
        }
    }
    failures
}

#[test]
fn there_is_one_spec_per_vendor_and_each_declares_x_keygate() {
    let specs = specs::load_all();
    assert!(specs.len() >= 4, "only {} specs under spec/", specs.len());
    let mut failures: Vec<String> = specs
        .iter()
        .filter(|spec| !spec.spec.declared)
        .map(|spec| format!("{}: no x-keygate", spec.file_name))
        .collect();
    let parsed: Vec<keygate_spec::Spec> = specs.into_iter().map(|s| s.spec).collect();
    if let Err(error) = keygate_spec::check_distinct_vendors(&parsed) {
        failures.push(error.to_string());
    }
    assert_no_failures("one spec per vendor", failures);
}

/// A validator for `schema` (possibly a `$ref` into the spec's component schemas).
fn validator(spec: &SpecFile, schema: &Value) -> json_schema::Validator {
    let components = spec
        .json
        .pointer("/components/schemas")
        .cloned()
        .unwrap_or_default();
    json_schema::compile(schema, &components).unwrap_or_else(|e| panic!("{}: {e}", spec.file_name))
}

#[test]
fn every_spec_is_openapi_3_0() {
    let failures = specs::load_all()
        .into_iter()
        .filter(|spec| !spec.openapi.openapi.starts_with("3.0."))
        .map(|spec| format!("{}: openapi {}", spec.file_name, spec.openapi.openapi))
        .collect();
    assert_no_failures("OpenAPI version", failures);
}

#[test]
fn every_operation_has_a_unique_operation_id() {
    let mut seen = std::collections::HashSet::new();
    let failures = each_operation(|spec, op, failures| {
        match op.value.get("operationId").and_then(Value::as_str) {
            None => failures.push(format!(
                "{}: {} {} has no operationId",
                spec.file_name, op.method, op.path
            )),
            Some(id) if !seen.insert(id.to_owned()) => {
                failures.push(format!("{}: duplicate operationId {id}", spec.file_name))
            }
            Some(_) => {}
        }
    });
    assert_no_failures("operationId", failures);
}

/// HTTP forbids a body on HEAD answers and on 204/205/304; a delete may answer 2xx without one.
fn may_have_no_body(method: &str, status: &str) -> bool {
    method.eq_ignore_ascii_case("head")
        || matches!(status, "204" | "205" | "304")
        || (method.eq_ignore_ascii_case("delete") && status.starts_with('2'))
}

#[test]
fn every_documented_status_and_request_body_has_an_example() {
    let failures = each_operation(|spec, op, failures| {
        let responses = examples::responses(spec, op);
        if !responses.iter().any(|(status, _)| status.starts_with('2')) {
            failures.push(format!(
                "{}: {} documents no 2xx response",
                spec.file_name,
                op.id()
            ));
        }
        for (status, response) in responses {
            let location = format!("{}: {} response {status}", spec.file_name, op.id());
            let bodies = examples::content_examples(spec, &location, response);
            if bodies.is_empty() && !may_have_no_body(op.method, status) {
                failures.push(format!("{location}: no content, so no example"));
            }
            for (where_, found) in bodies {
                if found.is_empty() {
                    failures.push(format!("{where_}: no example"));
                }
            }
        }
        if let Some(body) = op.value.get("requestBody") {
            let location = format!("{}: {} request body", spec.file_name, op.id());
            for (where_, found) in examples::content_examples(spec, &location, spec.resolve(body)) {
                if found.is_empty() {
                    failures.push(format!("{where_}: no example"));
                }
            }
        }
    });
    assert_no_failures("missing examples", failures);
}

#[test]
fn every_example_validates_against_its_schema() {
    let mut checked = 0;
    let failures = each_operation(|spec, op, failures| {
        for example in examples::all_examples(spec, op) {
            checked += 1;
            let validator = validator(spec, example.schema);
            for error in json_schema::errors(&validator, example.value) {
                failures.push(format!(
                    "{}: {} example {}: {error}",
                    spec.file_name, example.location, example.name
                ));
            }
        }
    });
    assert_no_failures("examples against schemas", failures);
    assert!(checked >= 30, "only {checked} examples found");
}

#[test]
fn response_schemas_fit_progenitor() {
    // progenitor 0.15 needs `$ref`'d response schemas, at most one success and one error type.
    let failures = each_operation(|spec, op, failures| {
        let (mut success, mut error) = (Vec::new(), Vec::new());
        for (status, response) in examples::responses(spec, op) {
            let schemas = response
                .get("content")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|content| content.values())
                .filter_map(|media| media.get("schema"));
            for schema in schemas {
                match schema.get("$ref").and_then(Value::as_str) {
                    None => failures.push(format!(
                        "{}: {} response {status} has an inline schema",
                        spec.file_name,
                        op.id()
                    )),
                    Some(reference) => {
                        let kind = if status.starts_with('2') {
                            &mut success
                        } else {
                            &mut error
                        };
                        if !kind.contains(&reference) {
                            kind.push(reference);
                        }
                    }
                }
            }
        }
        for (kind, refs) in [("success", success), ("error", error)] {
            if refs.len() > 1 {
                failures.push(format!(
                    "{}: {} has {} {kind} schemas: {refs:?}",
                    spec.file_name,
                    op.id(),
                    refs.len()
                ));
            }
        }
    });
    assert_no_failures("progenitor constraints", failures);
}

/// Placeholder values for the error templates' `{name}`s.
fn render_template(value: &Value) -> Value {
    match value {
        Value::String(text) => Value::String(
            text.replace("{param}", "limit")
                .replace("{value}", "x")
                .replace("{detail}", "detail")
                .replace("{requestId}", "00000000-0000-0000-0000-000000000000")
                .replace("{host}", "localhost")
                .replace("{method}", "PUT")
                .replace("{path}", "/nope")
                .replace("{apiVersion}", "2024-05-01"),
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), render_template(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(render_template).collect()),
        other => other.clone(),
    }
}

#[test]
fn error_templates_follow_every_operations_error_schema() {
    let failures = each_operation(|spec, op, failures| {
        if op.method.eq_ignore_ascii_case("head") {
            return; // HEAD answers errors with a status and no body, so no template applies.
        }
        let templates = &spec.spec.keygate.errors;
        if templates.is_empty() {
            failures.push(format!("{}: no x-keygate.errors", spec.file_name));
            return;
        }
        let responses = examples::responses(spec, op);
        // Where the vendor answers errors with 2xx (Tencent), the success schema is the error schema.
        let error_status = responses
            .iter()
            .find(|(status, _)| !status.starts_with('2'))
            .or_else(|| responses.first());
        let Some(schema) =
            error_status.and_then(|(_, r)| r.pointer("/content/application~1json/schema"))
        else {
            failures.push(format!(
                "{}: {} has no JSON error schema",
                spec.file_name,
                op.id()
            ));
            return;
        };
        let validator = validator(spec, schema);
        for (kind, template) in templates {
            if !(200..600).contains(&template.status) {
                failures.push(format!(
                    "{}: error template {kind} has no valid status",
                    spec.file_name
                ));
            }
            let body = render_template(&template.body);
            for error in json_schema::errors(&validator, &body) {
                failures.push(format!(
                    "{}: {} error template {kind}: {error}",
                    spec.file_name,
                    op.id()
                ));
            }
        }
    });
    assert_no_failures("error templates", failures);
}

#[test]
fn pagination_extensions_name_real_parameters_and_fields() {
    let mut paginated = 0;
    let failures = each_operation(|spec, op, failures| {
        let pagination = match keygate_spec::ext::OperationExt::read(op.value) {
            Ok(ext) => ext.pagination,
            Err(why) => {
                failures.push(format!("{}: {}: {why}", spec.file_name, op.id()));
                return;
            }
        };
        let Some(pagination) = pagination else {
            return;
        };
        paginated += 1;
        let names: Vec<&str> = examples::parameters(spec, op)
            .iter()
            .filter_map(|p| p.get("name").and_then(Value::as_str))
            .collect();
        let (position, size) = pagination.parameters().unwrap_or(("", ""));
        for (key, name) in [("position", position), ("size", size)] {
            if !names.contains(&name) {
                failures.push(format!(
                    "{}: {} pagination {key} names unknown parameter {name:?}",
                    spec.file_name,
                    op.id()
                ));
            }
        }
        let success = examples::responses(spec, op)
            .into_iter()
            .find(|(status, _)| status.starts_with('2'))
            .map(|(_, response)| response);
        // The first 2xx example that is not an error (Tencent's errors are 2xx examples too).
        let sample = success
            .and_then(|r| r.pointer("/content/application~1json/examples"))
            .and_then(Value::as_object)
            .and_then(|examples| {
                examples
                    .values()
                    .filter_map(|example| spec.resolve(example).get("value"))
                    .find(|value| !spec.is_error("200", value))
            });
        let pointers = [
            ("items", Some(&pagination.items)),
            ("total", pagination.total.as_ref()),
            ("nextLink", pagination.next_link.as_ref()),
            ("count", pagination.count.as_ref()),
            ("pageField", pagination.page_field.as_ref()),
            ("pageSizeField", pagination.page_size_field.as_ref()),
        ];
        for (key, pointer) in pointers {
            let Some(pointer) = pointer else { continue };
            if sample.and_then(|s| s.pointer(pointer)).is_none() {
                failures.push(format!(
                    "{}: {} pagination {key} {pointer:?} is not in the sample",
                    spec.file_name,
                    op.id()
                ));
            }
        }
    });
    // Alibaba, Tencent and Huawei page their lists: fewer means the extension went unread.
    assert!(
        paginated >= 3,
        "only {paginated} operation(s) carry x-keygate-pagination"
    );
    assert_no_failures("pagination extensions", failures);
}

#[test]
fn every_security_scheme_names_a_keygate_auth_scheme() {
    let mut failures = Vec::new();
    for spec in specs::load_all() {
        let schemes = spec
            .json
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object);
        let Some(schemes) = schemes.filter(|s| !s.is_empty()) else {
            failures.push(format!("{}: no securitySchemes", spec.file_name));
            continue;
        };
        for (name, scheme) in schemes {
            let auth = keygate_spec::ext::scheme_auth(scheme).ok().flatten();
            if auth.as_deref().and_then(keygate_auth::scheme).is_none() {
                failures.push(format!(
                    "{}: scheme {name} has x-keygate-auth {auth:?}, which keygate-auth does not implement",
                    spec.file_name
                ));
            }
        }
    }
    assert_no_failures("security schemes", failures);
}

#[test]
fn every_error_example_and_template_speaks_the_vendors_error_dialect() {
    let mut errors_seen = 0;
    let failures = each_operation(|spec, op, failures| {
        let Some(fields) = spec.spec.keygate.error_fields.as_ref() else {
            failures.push(format!("{}: no x-keygate.errorFields", spec.file_name));
            return;
        };
        let mut bodies = Vec::new();
        for (status, response) in examples::responses(spec, op) {
            let location = format!("{} response {status}", op.id());
            for (_, found) in examples::content_examples(spec, &location, response) {
                for example in found.into_iter().filter(|e| spec.is_error(status, e.value)) {
                    bodies.push((
                        format!("{} example {}", example.location, example.name),
                        example.value.clone(),
                    ));
                }
            }
        }
        let templates = spec
            .json
            .pointer("/x-keygate/errors")
            .and_then(Value::as_object);
        for (kind, template) in templates.into_iter().flatten() {
            bodies.push((
                format!("error template {kind}"),
                render_template(&template["body"]),
            ));
        }
        for (location, body) in bodies {
            errors_seen += 1;
            let found = [
                ("code", &fields.code, fields.code_of(&body)),
                ("message", &fields.message, fields.message_of(&body)),
            ];
            for (key, pointers, value) in found {
                if value.is_none() {
                    failures.push(format!(
                        "{}: {location} has no {key} at any of {pointers:?}",
                        spec.file_name
                    ));
                }
            }
        }
    });
    assert_no_failures("error dialect", failures);
    assert!(errors_seen >= 60, "only {errors_seen} error bodies found");
}

/// The documented example `name` of an operation, in any of its responses: its status and value.
fn named_example<'a>(
    spec: &'a SpecFile,
    op: &Operation<'a>,
    name: &str,
) -> Option<(&'a str, &'a Value)> {
    examples::responses(spec, op)
        .into_iter()
        .find_map(|(status, response)| {
            examples::content_examples(spec, op.id(), response)
                .into_iter()
                .flat_map(|(_, found)| found)
                .find(|example| example.name == name)
                .map(|example| (status, example.value))
        })
}

/// The success samples of an operation: every example of its 2xx responses that is not an
/// error (Tencent documents its errors as 2xx examples too).
fn success_samples<'a>(spec: &'a SpecFile, op: &Operation<'a>) -> Vec<&'a Value> {
    examples::responses(spec, op)
        .into_iter()
        .filter(|(status, _)| status.starts_with('2'))
        .flat_map(|(status, response)| {
            examples::content_examples(spec, op.id(), response)
                .into_iter()
                .flat_map(|(_, found)| found)
                .filter(move |example| !spec.is_error(status, example.value))
                .map(|example| example.value)
        })
        .collect()
}

/// `{name}` holes of a `derive` template.
fn holes(template: &str) -> Vec<&str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

#[test]
fn state_extensions_name_real_parameters_examples_and_fields() {
    use keygate_spec::ext::{Action, OperationExt, StateExt};

    let is_pointer = |p: &str| p.is_empty() || p.starts_with('/');
    let (mut stateful, mut resources_seen) = (0, 0);
    let mut failures = Vec::new();
    for spec in specs::load_all() {
        let resources = &spec.spec.keygate.resources;
        resources_seen += resources.len();
        // Per resource: (list, create or upsert, read) operations.
        let mut roles: std::collections::BTreeMap<&str, [Vec<String>; 3]> = resources
            .keys()
            .map(|name| (name.as_str(), Default::default()))
            .collect();
        for (name, resource) in resources {
            let at = format!("{}: resource {name}", spec.file_name);
            if resource.quota.max == 0 {
                failures.push(format!("{at}: quota.max is 0"));
            }
            let pointers = [&resource.id.field]
                .into_iter()
                .chain(resource.generate.keys())
                .chain(resource.derive.keys())
                .chain(resource.initial.keys())
                .chain(resource.timestamps.keys())
                .chain(&resource.secrets)
                .chain(resource.unique.iter().map(|u| &u.field));
            for pointer in pointers.filter(|p| !p.starts_with('/')) {
                failures.push(format!(
                    "{at}: {pointer:?} is not a JSON pointer into the record"
                ));
            }
            for (field, template) in &resource.derive {
                for hole in holes(template) {
                    if !resource.scope.iter().any(|s| s == hole) && hole != resource.id.parameter {
                        failures.push(format!(
                            "{at}: derive {field} names {{{hole}}}, neither a scope nor the id parameter"
                        ));
                    }
                }
            }
        }
        for op in examples::operations(&spec) {
            let at = format!("{}: {}", spec.file_name, op.id());
            let state = match StateExt::read(op.value) {
                Ok(Some(state)) => state,
                Ok(None) => continue,
                Err(why) => {
                    failures.push(format!("{at}: {why}"));
                    continue;
                }
            };
            stateful += 1;
            let Some(resource) = resources.get(&state.resource) else {
                failures.push(format!(
                    "{at}: x-keygate-state names resource {:?}, which x-keygate.resources lacks",
                    state.resource
                ));
                continue;
            };
            if let Some(role) = roles.get_mut(state.resource.as_str()) {
                let slot = match state.action {
                    Action::List => Some(0),
                    Action::Create | Action::Upsert => Some(1),
                    Action::Read => Some(2),
                    Action::Update | Action::Delete => None,
                };
                if let Some(slot) = slot {
                    role[slot].push(op.id().to_owned());
                }
            }

            // Parameters: the scope on every operation, the id (or lookup) where one record is
            // addressed, `params` among the query (or form) parameters.
            let parameters = examples::parameters(&spec, &op);
            let find = |name: &str| {
                parameters
                    .iter()
                    .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
            };
            for name in &resource.scope {
                if find(name).is_none() {
                    failures.push(format!("{at}: no scope parameter {name}"));
                }
            }
            let addresses_one = matches!(
                state.action,
                Action::Read | Action::Update | Action::Delete | Action::Upsert
            );
            if let Some(lookup) = &state.lookup {
                if !addresses_one {
                    failures.push(format!("{at}: lookup on a {:?}", state.action));
                }
                if find(&lookup.parameter).is_none() {
                    failures.push(format!("{at}: no lookup parameter {}", lookup.parameter));
                }
                if !lookup.field.starts_with('/') {
                    failures.push(format!(
                        "{at}: lookup field {:?} is not a pointer",
                        lookup.field
                    ));
                }
            } else if addresses_one && find(&resource.id.parameter).is_none() {
                failures.push(format!(
                    "{at}: a {:?} names its record, but has no id parameter {}",
                    state.action, resource.id.parameter
                ));
            }
            if state.action == Action::Create
                && resource.id.generate.is_none()
                && find(&resource.id.parameter).is_none()
            {
                failures.push(format!(
                    "{at}: the request names new ids (no id.generate), but this create has no {} parameter",
                    resource.id.parameter
                ));
            }
            for name in &state.params {
                match find(name).and_then(|p| p.get("in")).and_then(Value::as_str) {
                    Some("query") => {}
                    Some(other) => failures.push(format!(
                        "{at}: params names {name}, an {other} parameter (query or form only)"
                    )),
                    None => failures.push(format!("{at}: params names unknown parameter {name}")),
                }
            }

            // Every named error is one of the operation's own documented error examples.
            let error_example = |key: &str, name: &str| match named_example(&spec, &op, name) {
                None => Some(format!(
                    "{at}: {key} names example {name:?}, which no response documents"
                )),
                Some((status, value)) if !spec.is_error(status, value) => Some(format!(
                    "{at}: {key} names example {name:?}, a success ({status})"
                )),
                Some(_) => None,
            };
            if matches!(state.action, Action::Create | Action::Upsert) {
                failures.extend(error_example("quota.error", &resource.quota.error));
                for unique in &resource.unique {
                    failures.extend(error_example("unique.error", &unique.error));
                }
            }
            if let Some(etag) = &resource.etag {
                let conditional = parameters.iter().any(|p| {
                    p.get("in").and_then(Value::as_str) == Some("header")
                        && p.get("name")
                            .and_then(Value::as_str)
                            .is_some_and(|n| n.eq_ignore_ascii_case(&etag.if_match))
                });
                if conditional {
                    failures.extend(error_example("etag.mismatch", &etag.mismatch));
                }
            }
            if let Some(require) = &state.require {
                failures.extend(error_example("require.error", &require.error));
            }
            match &state.not_found {
                Some(answer) => {
                    if !addresses_one {
                        failures.push(format!("{at}: notFound on a {:?}", state.action));
                    }
                    match (&answer.example, &answer.status) {
                        (Some(name), None) => {
                            failures.extend(error_example("notFound.example", name))
                        }
                        (None, Some(status)) => {
                            let response = examples::responses(&spec, &op)
                                .into_iter()
                                .find(|(s, _)| s == status);
                            match response {
                                None => failures.push(format!(
                                    "{at}: notFound.status {status} is not a documented status"
                                )),
                                Some((_, r)) if r.get("content").is_some() => failures.push(format!(
                                    "{at}: notFound.status {status} documents a body; name its example instead"
                                )),
                                Some(_) => {}
                            }
                        }
                        _ => failures.push(format!(
                            "{at}: notFound needs exactly one of example and status"
                        )),
                    }
                }
                // A read, update or delete of a missing record answers the vendor's own error.
                None if addresses_one && state.action != Action::Upsert => {
                    failures.push(format!("{at}: a {:?} without notFound", state.action));
                }
                None => {}
            }
            if let Some(replaced) = &state.replaced {
                let documented = examples::responses(&spec, &op)
                    .iter()
                    .any(|(s, _)| s == replaced && s.starts_with('2'));
                if state.action != Action::Upsert || !documented {
                    failures.push(format!(
                        "{at}: replaced {replaced} needs an upsert and a documented 2xx status"
                    ));
                }
            }

            // Where the record shows in the answer, and the fields the action touches.
            let samples = success_samples(&spec, &op);
            for (key, pointer) in [
                ("entity", &state.entity),
                ("view", &state.view),
                ("body", &state.body),
            ] {
                if let Some(pointer) = pointer.as_deref().filter(|p| !is_pointer(p)) {
                    failures.push(format!("{at}: {key} {pointer:?} is not a JSON pointer"));
                }
            }
            for pointer in state.set.keys().chain(&state.rotate) {
                if !pointer.starts_with('/') {
                    failures.push(format!(
                        "{at}: {pointer:?} is not a JSON pointer into the record"
                    ));
                }
            }
            for pointer in &state.rotate {
                if !resource.generate.contains_key(pointer) {
                    failures.push(format!(
                        "{at}: rotate {pointer}, which the resource does not generate"
                    ));
                }
            }
            if state.action == Action::List {
                if state.entity.is_some() {
                    failures.push(format!(
                        "{at}: a list shows its records at the pagination items, not at an entity"
                    ));
                }
                let pagination = OperationExt::read(op.value).ok().and_then(|e| e.pagination);
                let Some(pagination) = pagination else {
                    failures.push(format!("{at}: a list without x-keygate-pagination"));
                    continue;
                };
                let items = samples
                    .iter()
                    .find_map(|sample| sample.pointer(&pagination.items));
                match items
                    .and_then(Value::as_array)
                    .and_then(|items| items.first())
                {
                    None => failures.push(format!(
                        "{at}: no success sample has items at {:?}",
                        pagination.items
                    )),
                    Some(item) => {
                        for pointer in state.mask.keys() {
                            if item.pointer(pointer).is_none() {
                                failures.push(format!(
                                    "{at}: mask {pointer:?} is not in the sample's first item"
                                ));
                            }
                        }
                    }
                }
            } else if !state.mask.is_empty() {
                failures.push(format!("{at}: mask on a {:?} (lists only)", state.action));
            }
            if state.entity.is_none() && !state.keep.is_empty() {
                failures.push(format!("{at}: keep without an entity"));
            }
            if let Some(entity) = &state.entity {
                for kept in &state.keep {
                    let pointer = format!("{entity}{kept}");
                    if !kept.starts_with('/')
                        || samples.iter().any(|s| s.pointer(&pointer).is_none())
                    {
                        failures.push(format!(
                            "{at}: keep {kept:?} is not under the entity in the success sample"
                        ));
                    }
                }
                if samples.is_empty() {
                    failures.push(format!("{at}: entity {entity:?}, but no success sample"));
                }
                for sample in &samples {
                    if sample.pointer(entity).is_none() {
                        failures.push(format!(
                            "{at}: entity {entity:?} is not in the success sample"
                        ));
                    }
                }
            }
        }
        for (name, [lists, creates, reads]) in roles {
            let at = format!("{}: resource {name}", spec.file_name);
            if lists.len() != 1 {
                failures.push(format!(
                    "{at}: {} list operations {lists:?} (one wanted)",
                    lists.len()
                ));
            }
            if creates.is_empty() {
                failures.push(format!("{at}: no create or upsert operation"));
            }
            if reads.is_empty() {
                failures.push(format!("{at}: no read operation"));
            }
        }
    }
    assert_no_failures("state extensions", failures);
    // Alibaba's secret, Tencent's key, Huawei's AI key and AppCode, Azure's subscription: fewer
    // means the extensions went unread.
    assert!(
        resources_seen >= 5,
        "only {resources_seen} resource(s) in x-keygate.resources"
    );
    assert!(
        stateful >= 31,
        "only {stateful} operation(s) carry x-keygate-state"
    );
}
