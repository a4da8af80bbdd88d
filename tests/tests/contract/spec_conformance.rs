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
