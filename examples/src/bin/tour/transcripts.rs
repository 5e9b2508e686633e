//! The transcripts part of the tour: one transcript from each vendor's mock, read into the one
//! model of `meeting-sdks-transcripts` and rendered the same way. Speakr, Hedy and Healthie
//! come through the vendor-neutral [`MeetingSource`]; Heilo's API serves no call text, so its
//! transcript comes from the documented `call.completed` delivery, through the vendor-neutral
//! event.

use transcripts::{Format, MeetingEvent, MeetingSource, RenderOptions, Transcript};

pub async fn run() -> super::TourResult {
    println!("== transcripts: one meeting and transcript model across the four vendors (mocks)");
    let speakr = speakr_client::mock::MockSpeakr::start().await;
    let hedy = hedy_client::mock::MockHedy::start().await;
    let healthie = healthie_client::mock::MockHealthie::start().await;
    let sources: Vec<(Box<dyn MeetingSource>, &str)> = vec![
        (Box::new(speakr.client()?), "1"),
        (Box::new(hedy.client()?), "sess_7Qm2xK9aL0"),
        (Box::new(healthie.client()?), "1001"),
    ];
    for (source, id) in &sources {
        // The same code for every vendor.
        let meeting = source.meeting(id).await?;
        let Some(transcript) = source.transcript(id).await? else {
            println!("{} {id}: no transcript", source.vendor());
            continue;
        };
        show(
            &format!(
                "{} {id} {:?}",
                source.vendor(),
                meeting.title.unwrap_or_default()
            ),
            &transcript,
        )?;
    }

    let completed = heilo_client::mock::MockHeilo::deliveries()?
        .into_iter()
        .find(|d| d.event_type == "call.completed")
        .ok_or("no documented call.completed delivery")?;
    let event = heilo_client::webhooks::parse(&completed.body)?;
    let event = MeetingEvent::try_from(&event)?;
    match &event.transcript {
        Some(t) => show(
            &format!("heilo {} (from call.completed)", event.meeting_id),
            t,
        )?,
        None => println!(
            "heilo {}: the event carries no transcript",
            event.meeting_id
        ),
    }
    println!();
    Ok(())
}

/// One line of facts, then the transcript's first lines as `Speaker: text`, and its first cue
/// as WebVTT when it has times.
fn show(label: &str, t: &Transcript) -> super::TourResult {
    println!(
        "{label}: {} segments, speakers {:?}, {}",
        t.segments.len(),
        t.speakers(),
        if t.is_timed() { "timed" } else { "untimed" }
    );
    let text = Format::Text.render(t, &RenderOptions::default())?;
    for line in text.lines().take(2) {
        println!("  {line}");
    }
    if t.is_timed() {
        let vtt = Format::Vtt.render(t, &RenderOptions::default())?;
        if let Some(cue) = vtt.split("\n\n").nth(1) {
            println!("  as WebVTT: {}", cue.replace('\n', " | "));
        }
    }
    Ok(())
}
