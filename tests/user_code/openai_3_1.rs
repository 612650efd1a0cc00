//! A user's first task with the generated OpenAI client, as issue 20 sets it: one
//! streamed chat completion (a model, a system and a user message, a temperature, a
//! token limit), printing the text as it arrives. The corpus check compiles it inside
//! the client's module under `cargo clippy -- -D warnings` (`tests/corpus.rs`), so it
//! keeps compiling, warning-free, as the generator changes. The body of `chat` is what
//! the README counts.
use super::types::CreateChatCompletionRequest;
use super::types::{
    ChatCompletionRequestSystemMessage as System, ChatCompletionRequestUserMessage as User,
};

pub async fn chat() -> Result<(), Box<dyn std::error::Error>> {
    let client = super::Client::builder()
        .api_key_auth(std::env::var("OPENAI_API_KEY")?)
        .build()?;
    let messages = vec![
        System::new("You are terse.").into(),
        User::new("Name three rivers.").into(),
    ];
    let request = CreateChatCompletionRequest::new(messages, "gpt-4o")
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
