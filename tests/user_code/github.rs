//! A user's first task with the generated GitHub client, as issue 20 sets it: create an
//! issue with a title, a body and two labels, then list the open issues of a repository
//! (one optional filter). `tests/review.rs` (`github_user_code_compiles`, `--ignored`)
//! compiles it inside the client's module under `cargo clippy -- -D warnings`. In a
//! user's crate the `use` reads `use github::{types::*, IssuesListForRepoParams};`.
use super::{types::*, IssuesListForRepoParams};

pub async fn triage(client: &super::Client) -> Result<(), Box<dyn std::error::Error>> {
    let (owner, repo) = ("octo-org", "app");
    let issue = IssuesCreateBody::new("Crash on start").body("Steps to reproduce: …");
    let issue = issue.labels(["bug".into(), "crash".into()]);
    let created = client.issues_create(owner, repo, &issue).await?;
    println!("opened #{}", created.number);
    let open = IssuesListForRepoParams::new().state("open");
    for issue in client.issues_list_for_repo(owner, repo, &open).await? {
        println!("#{} {}", issue.number, issue.title);
    }
    Ok(())
}
