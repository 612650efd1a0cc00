//! A Swagger 2.0 description against Prism: the client generated from the Swagger
//! Petstore v2 (`tests/swagger2/specs/readme-petstore-2.0.json`, converted to OpenAPI 3
//! on load) calls every operation of the document, and Prism, which reads the 2.0
//! document itself, validates each request: the converted body parameters, form fields
//! (urlencoded and multipart with a file), `collectionFormat: multi` queries, path
//! parameters, the `api_key` header and the OAuth2 token.
//!
//! Five operations with a body (`createUser`, `placeOrder`, ...) list no `consumes`,
//! here or at the root. Swagger 2.0 leaves the media type open; the generator reads it as
//! JSON, with a warning (as openapi-generator does), while Prism reads it as "no body
//! allowed" and answers 415. Prism is therefore given the document with the root
//! `consumes: [application/json]` that states what the client assumes; nothing else is
//! changed, and the client is generated from the original.
//!
//! Many operations of this document declare only error answers (`addPet`: 405); Prism
//! answers those, so a call passes when Prism accepted the request and the answer is one
//! the operation declares (a success, or an error with a declared status).

use std::fmt::Debug;

use prism_tests::petstore_v2::{
    types, Client, DeletePetParams, Error, FindPetsByStatusParams, FindPetsByTagsParams,
    LoginUserParams,
};
use prism_tests::prism::{repo_root, Mode, Prism};

struct Run {
    calls: usize,
    operations: Vec<&'static str>,
    failures: Vec<String>,
}

impl Run {
    fn check<T: Debug, E: Debug>(
        &mut self,
        operation: &'static str,
        declared: &[u16],
        result: Result<T, Error<E>>,
    ) {
        self.calls += 1;
        self.operations.push(operation);
        let status = match &result {
            Ok(_) => return,
            Err(e) => e.status().map(|s| s.as_u16()),
        };
        if !status.is_some_and(|s| declared.contains(&s)) {
            self.failures.push(format!(
                "operation `{operation}`: {result:?} (declared: {declared:?})"
            ));
        }
    }
}

fn pet() -> types::Pet {
    types::Pet::new("doggie", vec!["https://example.com/dog.png".into()])
        .id(10)
        .category(types::Category::new().id(1).name("Dogs"))
        .tags(vec![types::Tag::new().id(1).name("friendly")])
        .status(types::PetStatus::Available)
}

fn user() -> types::User {
    types::User::new()
        .id(10)
        .username("theUser")
        .first_name("John")
        .last_name("James")
        .email("john@email.com")
        .password("12345")
        .phone("12345")
        .user_status(1)
}

#[tokio::test]
async fn every_operation_of_the_swagger_2_petstore_is_accepted() {
    let spec = repo_root().join("tests/swagger2/specs/readme-petstore-2.0.json");
    let spec_text = std::fs::read_to_string(&spec).expect("spec");
    let mut doc: serde_json::Value = serde_json::from_str(&spec_text).expect("JSON");
    let mut stated = doc.clone();
    assert!(
        stated.get("consumes").is_none(),
        "the document now says its consumes"
    );
    stated["consumes"] = serde_json::json!(["application/json"]);
    let stated_path = repo_root().join("target/prism/readme-petstore-2.0-consumes-json.json");
    std::fs::create_dir_all(repo_root().join("target/prism")).expect("target/prism");
    std::fs::write(&stated_path, stated.to_string()).expect("write");
    let prism = Prism::start(&stated_path, Mode::Static);
    let client = Client::builder()
        .base_url(&prism.base_url)
        .petstore_auth("oauth-access-token")
        .api_key("special-key")
        .build()
        .expect("client");
    let mut run = Run {
        calls: 0,
        operations: Vec::new(),
        failures: Vec::new(),
    };
    let pet = pet();
    run.check("addPet", &[405], client.add_pet(&pet).await);
    run.check("updatePet", &[400, 404, 405], client.update_pet(&pet).await);
    let by_status = FindPetsByStatusParams::new(vec![
        types::FindPetsByStatusStatusItem::Available,
        types::FindPetsByStatusStatusItem::Sold,
    ]);
    let found = client.find_pets_by_status(&by_status).await;
    run.check("findPetsByStatus", &[400], found);
    #[allow(deprecated)]
    let by_tags = client
        .find_pets_by_tags(&FindPetsByTagsParams::new(vec![
            "tag1".into(),
            "tag 2".into(),
        ]))
        .await;
    run.check("findPetsByTags", &[400], by_tags);
    run.check("getPetById", &[400, 404], client.get_pet_by_id(10).await);
    let form = types::UpdatePetWithFormBody::new()
        .name("doggie")
        .status("sold");
    run.check(
        "updatePetWithForm",
        &[405],
        client.update_pet_with_form(10, Some(&form)).await,
    );
    let delete = DeletePetParams::new().api_key("special-key");
    run.check(
        "deletePet",
        &[400, 404],
        client.delete_pet(10, &delete).await,
    );
    let upload = types::UploadFileBody::new()
        .additional_metadata("a photo")
        .file(b"\x89PNG fake image bytes".to_vec());
    let uploaded = client.upload_file(10, Some(&upload)).await;
    run.check("uploadFile", &[], uploaded);
    run.check("getInventory", &[], client.get_inventory().await);
    let order = types::Order::new()
        .id(10)
        .pet_id(198772)
        .quantity(7)
        .ship_date(chrono::DateTime::parse_from_rfc3339("2024-05-01T10:00:00Z").expect("date"))
        .status(types::OrderStatus::Approved)
        .complete(true);
    run.check("placeOrder", &[400], client.place_order(&order).await);
    run.check("getOrderById", &[400, 404], client.get_order_by_id(5).await);
    run.check("deleteOrder", &[400, 404], client.delete_order(5).await);
    let user = user();
    run.check("createUser", &[], client.create_user(&user).await);
    let users = vec![user.clone()];
    run.check(
        "createUsersWithArrayInput",
        &[],
        client.create_users_with_array_input(&users).await,
    );
    run.check(
        "createUsersWithListInput",
        &[],
        client.create_users_with_list_input(&users).await,
    );
    let login = LoginUserParams::new("theUser", "12345");
    run.check("loginUser", &[400], client.login_user(&login).await);
    run.check("logoutUser", &[], client.logout_user().await);
    run.check(
        "getUserByName",
        &[400, 404],
        client.get_user_by_name("theUser").await,
    );
    run.check(
        "updateUser",
        &[400, 404],
        client.update_user("theUser", &user).await,
    );
    run.check(
        "deleteUser",
        &[400, 404],
        client.delete_user("theUser").await,
    );

    assert!(
        run.failures.is_empty(),
        "{}\n--- Prism log ---\n{}",
        run.failures.join("\n"),
        prism.log_tail(60)
    );
    // Every operation of the document, each once.
    let paths = doc["paths"].take();
    let mut declared: Vec<&str> = paths
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(_, item)| item.as_object().into_iter().flatten())
        .filter_map(|(_, op)| op["operationId"].as_str())
        .collect();
    declared.sort_unstable();
    let mut called = run.operations.clone();
    called.sort_unstable();
    assert_eq!(called, declared, "every operation is called once");
    let validated = prism
        .log_text()
        .matches("The request passed the validation rules")
        .count();
    println!(
        "readme-petstore-2.0.json: {} operations called, {validated} requests validated by Prism",
        run.calls
    );
    assert_eq!(validated, run.calls, "Prism must accept every request");
}
