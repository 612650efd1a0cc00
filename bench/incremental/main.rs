//! A user's program that calls three GitHub operations: `bench/incremental/run.sh` times
//! its rebuild after an edit to this file (the line marked EDIT).
use github::types;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = github::Client::builder().build()?;
    let repo = client.repos_get("rust-lang", "rust").await?;
    println!("{}: {} stars", repo.full_name, repo.stargazers_count);
    let params = github::IssuesListForRepoParams::new().per_page(5);
    let issues = client.issues_list_for_repo("rust-lang", "rust", &params).await?;
    println!("{} issues", issues.len());
    let body = types::IssuesCreateBody::new("A title").body("Found while benchmarking.");
    let created = client.issues_create("me", "sandbox", &body).await?;
    println!("created 3 #{}", created.number); // EDIT
    Ok(())
}
