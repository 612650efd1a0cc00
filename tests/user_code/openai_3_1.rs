//! A user's first task with the generated OpenAI client, as issue 20 sets it: one
//! streamed chat completion (a model, a system and a user message, a temperature, a
//! token limit), printing the text as it arrives. The corpus check compiles it inside
//! the client's module under `cargo clippy -- -D warnings` (`tests/corpus.rs`), so it
//! keeps compiling, warning-free, as the generator changes. In a user's crate the `use`
//! reads `use openai::types::*;` and the client `openai::Client`.
use super::types::*;

pub async fn chat(key: &str) -> Result<(), Box<dyn std::error::Error>> {
    let client = super::Client::builder().api_key_auth(key).build()?;
    let system = ChatCompletionRequestSystemMessage::new("You are terse.");
    let user = ChatCompletionRequestUserMessage::new("Name three rivers.");
    let request = CreateChatCompletionRequest::new([system.into(), user.into()], "gpt-4o")
        .temperature(0.2)
        .max_completion_tokens(200);
    let mut events = client.create_chat_completion_stream(&request).await?;
    while let Some(event) = events.next_event().await {
        for choice in event?.data.choices {
            print!("{}", choice.delta.content.flatten().unwrap_or_default());
        }
    }
    Ok(())
}
