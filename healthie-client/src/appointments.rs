//! Appointments: `appointment(id)` with its AI-Scribe transcripts, and the `appointments`
//! collection as a stream (connection pagination from `2026-01-01`, offset pagination in the
//! baseline).

use client_core::{Error, ErrorKind, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::{HealthieClient, Schema};
use crate::graphql::{Operation, OperationKind, Response};
use crate::paging::{Collection, Listing};
use crate::types::{
    null_as_default, AppointmentOrder, TranscriptStatus, TranscriptType, UserSummary,
};
use crate::webhooks::ThinEvent;

/// The fields both schema shapes have.
macro_rules! common_fields {
    () => {
        "id date start end length timezone_abbr other_party_id user_id is_group \
         appointment_category appointment_type_id contact_type pm_status location notes \
         zoom_meeting_id zoom_join_url zoom_start_url external_videochat_url use_zoom \
         is_zoom_chat zoom_cloud_recording_urls metadata created_at updated_at deleted_at \
         provider { id first_name last_name full_name email } \
         providers { id first_name last_name full_name email } \
         user { id first_name last_name full_name email } \
         attendees { id first_name last_name full_name email } \
         appointment_type { id name length } \
         zoom_appointment { id duration start_time end_time participants_count total_minutes }"
    };
}

/// The fields only `2026-01-01` has (transcripts aside).
macro_rules! connection_fields {
    () => {
        "will_be_scribed zoom_cloud_recording_files { id meeting_id download_url file_size \
         file_type recording_type recording_start recording_end status }"
    };
}

/// `query Appointment`: one appointment with its transcripts.
pub static APPOINTMENT: Operation = Operation {
    name: "Appointment",
    kind: OperationKind::Query,
    connections: concat!(
        "query Appointment($id: ID, $include_deleted: Boolean, ",
        "$transcript_type: TranscriptTypeEnum, $transcript_statuses: [TranscriptStatusEnum]) { ",
        "appointment(id: $id, include_deleted: $include_deleted) { ",
        common_fields!(),
        " ",
        connection_fields!(),
        " transcripts(transcript_type: $transcript_type, status: $transcript_statuses) { ",
        "id status transcript_type transcript_start transcript_end expiring_url } } }"
    ),
    baseline: Some(concat!(
        "query Appointment($id: ID, $include_deleted: Boolean) { ",
        "appointment(id: $id, include_deleted: $include_deleted) { ",
        common_fields!(),
        " } }"
    )),
};

/// `query Appointments`: one page of the collection.
pub static APPOINTMENTS: Operation = Operation {
    name: "Appointments",
    kind: OperationKind::Query,
    connections: concat!(
        "query Appointments($user_id: ID, $provider_id: ID, $filter: String, ",
        "$startDate: ISO8601DateTime, $endDate: ISO8601DateTime, $order_by: AppointmentOrderKeys, ",
        "$is_org: Boolean, $keywords: String, $with_all_statuses: Boolean, ",
        "$filter_by_appointment_statuses: [String], $first: Int, $after: String) { ",
        "appointments(user_id: $user_id, provider_id: $provider_id, filter: $filter, ",
        "startDate: $startDate, endDate: $endDate, order_by: $order_by, is_org: $is_org, ",
        "keywords: $keywords, with_all_statuses: $with_all_statuses, ",
        "filter_by_appointment_statuses: $filter_by_appointment_statuses, ",
        "first: $first, after: $after) { ",
        "total_count page_info { end_cursor has_next_page has_previous_page start_cursor } ",
        "nodes { ",
        common_fields!(),
        " ",
        connection_fields!(),
        " } } }"
    ),
    baseline: Some(concat!(
        "query Appointments($user_id: ID, $provider_id: ID, $filter: String, ",
        "$startDate: String, $endDate: String, $order_by: AppointmentOrderKeys, ",
        "$is_org: Boolean, $keywords: String, $with_all_statuses: Boolean, ",
        "$filter_by_appointment_statuses: [String], $offset: Int, $page_size: Int, ",
        "$should_paginate: Boolean) { ",
        "appointments(user_id: $user_id, provider_id: $provider_id, filter: $filter, ",
        "startDate: $startDate, endDate: $endDate, order_by: $order_by, is_org: $is_org, ",
        "keywords: $keywords, with_all_statuses: $with_all_statuses, ",
        "filter_by_appointment_statuses: $filter_by_appointment_statuses, ",
        "offset: $offset, page_size: $page_size, should_paginate: $should_paginate) { ",
        common_fields!(),
        " } }"
    )),
};

/// An appointment (snake_case on the wire, as Healthie's schema has it).
///
/// Fields only `2026-01-01` has are `None` on the baseline; `transcripts` is `None` unless the
/// appointment was fetched alone with [`Appointments::get`] on `2026-01-01` (Healthie returns
/// transcripts only for a single appointment).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Appointment {
    /// The id.
    pub id: String,
    /// Date and time of the appointment.
    #[serde(default)]
    pub date: Option<Timestamp>,
    /// Start time as Healthie formats it.
    #[serde(default)]
    pub start: Option<String>,
    /// End time as Healthie formats it.
    #[serde(default)]
    pub end: Option<String>,
    /// Length in minutes.
    #[serde(default)]
    pub length: Option<i64>,
    /// Time zone abbreviation.
    #[serde(default)]
    pub timezone_abbr: Option<String>,
    /// The provider's id.
    #[serde(default)]
    pub other_party_id: Option<i64>,
    /// The client's id (`None` for group appointments).
    #[serde(default)]
    pub user_id: Option<i64>,
    /// Whether it is a group appointment.
    #[serde(default)]
    pub is_group: Option<bool>,
    /// "Individual" or "Group".
    #[serde(default)]
    pub appointment_category: Option<String>,
    /// The appointment type's id.
    #[serde(default)]
    pub appointment_type_id: Option<i64>,
    /// How they connect (in person, phone, video, …).
    #[serde(default)]
    pub contact_type: Option<String>,
    /// "Occurred", "No-Show", "Re-Scheduled", "Cancelled", …
    #[serde(default)]
    pub pm_status: Option<String>,
    /// The location text.
    #[serde(default)]
    pub location: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// The Zoom meeting id.
    #[serde(default)]
    pub zoom_meeting_id: Option<String>,
    /// The Zoom join URL.
    #[serde(default)]
    pub zoom_join_url: Option<String>,
    /// The Zoom host start URL.
    #[serde(default)]
    pub zoom_start_url: Option<String>,
    /// A non-Zoom video link.
    #[serde(default)]
    pub external_videochat_url: Option<String>,
    /// Whether Zoom is used.
    #[serde(default)]
    pub use_zoom: Option<bool>,
    /// Whether it is a Zoom chat.
    #[serde(default)]
    pub is_zoom_chat: Option<bool>,
    /// Zoom cloud recording URLs.
    #[serde(default, deserialize_with = "null_as_default")]
    pub zoom_cloud_recording_urls: Vec<Option<String>>,
    /// `metadata` (Healthie's `JSON` scalar: a serialized JSON string or a value).
    #[serde(default)]
    pub metadata: Option<Value>,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// When it was last updated.
    #[serde(default)]
    pub updated_at: Option<Timestamp>,
    /// When it was deleted.
    #[serde(default)]
    pub deleted_at: Option<Timestamp>,
    /// The provider.
    #[serde(default)]
    pub provider: Option<UserSummary>,
    /// All providers.
    #[serde(default, deserialize_with = "null_as_default")]
    pub providers: Vec<UserSummary>,
    /// The client of a 1:1 appointment.
    #[serde(default)]
    pub user: Option<UserSummary>,
    /// All attendees.
    #[serde(default, deserialize_with = "null_as_default")]
    pub attendees: Vec<UserSummary>,
    /// The appointment type.
    #[serde(default)]
    pub appointment_type: Option<AppointmentType>,
    /// The Zoom meeting, when the caller may see it.
    #[serde(default)]
    pub zoom_appointment: Option<ZoomAppointment>,
    /// Whether AI Scribe will summarize it (`2026-01-01`).
    #[serde(default)]
    pub will_be_scribed: Option<bool>,
    /// Zoom cloud recording files (`2026-01-01`).
    #[serde(default)]
    pub zoom_cloud_recording_files: Option<Vec<ZoomCloudRecordingFile>>,
    /// Transcripts (`2026-01-01`, single appointment only; completed ones unless filtered).
    #[serde(default)]
    pub transcripts: Option<Vec<Transcript>>,
}

/// The appointment type as selected on an appointment.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AppointmentType {
    /// The id.
    pub id: String,
    /// The name.
    #[serde(default)]
    pub name: Option<String>,
    /// Default length in minutes.
    #[serde(default)]
    pub length: Option<i64>,
}

/// `ZoomAppointment`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ZoomAppointment {
    /// The id.
    #[serde(default)]
    pub id: Option<String>,
    /// Planned duration in minutes.
    #[serde(default)]
    pub duration: Option<i64>,
    /// Start time.
    #[serde(default)]
    pub start_time: Option<String>,
    /// End time.
    #[serde(default)]
    pub end_time: Option<String>,
    /// Number of participants.
    #[serde(default)]
    pub participants_count: Option<i64>,
    /// Minutes used.
    #[serde(default)]
    pub total_minutes: Option<i64>,
}

/// `ZoomCloudRecordingFile`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ZoomCloudRecordingFile {
    /// The id.
    #[serde(default)]
    pub id: Option<String>,
    /// The Zoom meeting id.
    #[serde(default)]
    pub meeting_id: Option<String>,
    /// Where to download it.
    #[serde(default)]
    pub download_url: Option<String>,
    /// Size in bytes.
    #[serde(default)]
    pub file_size: Option<i64>,
    /// `ZoomRecordingFileTypeEnum` value (for example `MP4`).
    #[serde(default)]
    pub file_type: Option<String>,
    /// `ZoomRecordingTypeEnum` value.
    #[serde(default)]
    pub recording_type: Option<String>,
    /// Start time.
    #[serde(default)]
    pub recording_start: Option<String>,
    /// End time.
    #[serde(default)]
    pub recording_end: Option<String>,
    /// `ZoomRecordingStatusEnum` value.
    #[serde(default)]
    pub status: Option<String>,
}

/// `Transcript`: an AI-Scribe transcript, downloadable as VTT from `expiring_url` (see
/// [`crate::transcripts::Transcripts::download_vtt`]).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Transcript {
    /// The composite id (`realtime_capture_123`).
    #[serde(default)]
    pub id: Option<String>,
    /// Its status.
    #[serde(default)]
    pub status: Option<TranscriptStatus>,
    /// Live capture or processed recording.
    #[serde(default)]
    pub transcript_type: Option<TranscriptType>,
    /// When the transcribed audio starts.
    #[serde(default)]
    pub transcript_start: Option<Timestamp>,
    /// When it ends.
    #[serde(default)]
    pub transcript_end: Option<Timestamp>,
    /// A short-lived URL of the VTT file: download it promptly.
    #[serde(default)]
    pub expiring_url: Option<String>,
}

/// Appointment operations (see [`HealthieClient::appointments`]).
#[derive(Debug, Clone, Copy)]
pub struct Appointments<'a> {
    pub(crate) client: &'a HealthieClient,
}

impl<'a> Appointments<'a> {
    /// One appointment: `query Appointment` (`appointment(id:)`), with its transcripts on
    /// `2026-01-01`. A `null` answer or a non-conformant HTTP 404 is a `NotFound` error.
    pub fn get(self, id: impl Into<String>) -> GetAppointment<'a> {
        GetAppointment {
            client: self.client,
            variables: GetVariables {
                id: id.into(),
                include_deleted: None,
                transcript_type: None,
                transcript_statuses: None,
            },
        }
    }

    /// The appointment a verified webhook is about: `query Appointment` for its
    /// `resource_id`. Healthie's deliveries are thin, so this is how an
    /// `appointment.transcript_available` becomes the appointment with its transcripts. An
    /// event about another kind of resource is an `InvalidRequest` error.
    pub fn for_event(self, event: &ThinEvent) -> Result<GetAppointment<'a>, Error> {
        let id = event.appointment_id().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidRequest,
                format!(
                    "`{}` is about a {}, not an appointment",
                    event.event_type,
                    event
                        .resource_id_type
                        .as_deref()
                        .unwrap_or("resource of unknown type")
                ),
            )
        })?;
        Ok(self.get(id))
    }

    /// The collection: `query Appointments` (`appointments(...)`), filtered, one page with
    /// [`Listing::send`], the pages with [`Listing::paginator`] or every item with
    /// [`Listing::into_stream`].
    pub fn list(self) -> ListAppointments {
        Listing::new(
            self.client,
            &APPOINTMENT_COLLECTION,
            AppointmentFilters::default(),
            DEFAULT_PAGE_SIZE,
            |item: &Appointment| item.id.as_str(),
        )
    }
}

#[derive(Debug, Clone, Serialize)]
struct GetVariables {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    include_deleted: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    transcript_type: Option<TranscriptType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    transcript_statuses: Option<Vec<TranscriptStatus>>,
}

/// A pending `query Appointment`.
#[derive(Debug)]
pub struct GetAppointment<'a> {
    client: &'a HealthieClient,
    variables: GetVariables,
}

#[derive(Deserialize)]
struct AppointmentData {
    #[serde(default)]
    appointment: Option<Value>,
}

impl GetAppointment<'_> {
    /// Also find a deleted appointment (`include_deleted: true`).
    pub fn include_deleted(mut self, include: bool) -> Self {
        self.variables.include_deleted = Some(include);
        self
    }

    /// Only transcripts of this type.
    pub fn transcript_type(mut self, kind: TranscriptType) -> Self {
        self.variables.transcript_type = Some(kind);
        self
    }

    /// Transcripts in these statuses (Healthie returns only `completed` ones otherwise).
    pub fn transcript_statuses(
        mut self,
        statuses: impl IntoIterator<Item = TranscriptStatus>,
    ) -> Self {
        self.variables.transcript_statuses = Some(statuses.into_iter().collect());
        self
    }

    /// Send; any `errors[]` entry fails the call.
    pub async fn send(self) -> Result<Appointment, Error> {
        self.send_partial().await?.into_result()
    }

    /// Send, keeping partial data: the appointment with the errors of the fields that
    /// failed. A missing appointment is still a `NotFound` error.
    pub async fn send_partial(self) -> Result<Response<Appointment>, Error> {
        let response = self.send_json().await?;
        let appointment = serde_json::from_value(response.data).map_err(|e| {
            Error::new(
                ErrorKind::Decode,
                format!("the appointment does not parse: {e}"),
            )
        })?;
        Ok(Response {
            data: appointment,
            errors: response.errors,
        })
    }

    /// Send and return the `appointment` object exactly as Healthie sent it (every selected
    /// field, including ones this crate does not model), for archiving; with the errors of
    /// fields that failed. A missing appointment is a `NotFound` error.
    pub async fn send_json(self) -> Result<Response<Value>, Error> {
        if self.variables.id.trim().is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                "the appointment id is empty",
            ));
        }
        let variables = self.variables;
        if self.client.inner.version.schema() == Schema::Baseline
            && (variables.transcript_type.is_some() || variables.transcript_statuses.is_some())
        {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                "transcripts are not available in Healthie's unversioned baseline schema",
            ));
        }
        let response: Response<AppointmentData> =
            self.client.execute(&APPOINTMENT, &variables).await?;
        match response.data.appointment {
            Some(appointment) if !appointment.is_null() => Ok(Response {
                data: appointment,
                errors: response.errors,
            }),
            _ if response.errors.is_empty() => Err(Error::new(
                ErrorKind::NotFound,
                format!("appointment `{}` not found", variables.id),
            )),
            _ => Err(crate::error::from_graphql(response.errors)),
        }
    }
}

/// The default page size of listings (Healthie recommends 10 to 50).
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// The `appointments` collection.
pub(crate) static APPOINTMENT_COLLECTION: Collection = Collection {
    operation: &APPOINTMENTS,
    field: "appointments",
    should_paginate: true,
};

/// The filters of `query Appointments`, set through [`ListAppointments`]' methods.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AppointmentFilters {
    #[serde(skip_serializing_if = "Option::is_none")]
    user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    filter: Option<String>,
    #[serde(rename = "startDate", skip_serializing_if = "Option::is_none")]
    start_date: Option<String>,
    #[serde(rename = "endDate", skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order_by: Option<AppointmentOrder>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_org: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    with_all_statuses: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    filter_by_appointment_statuses: Option<Vec<String>>,
}

/// A pending `query Appointments` (see [`Listing`] for paging, `send`, `paginator` and
/// `into_stream`).
pub type ListAppointments = Listing<Appointment, AppointmentFilters>;

impl Listing<Appointment, AppointmentFilters> {
    /// Appointments of this client (`user_id`; Healthie's other queries say `client_id`).
    pub fn user_id(mut self, id: impl Into<String>) -> Self {
        self.filters.user_id = Some(id.into());
        self
    }

    /// Appointments of this provider (`provider_id`).
    pub fn provider_id(mut self, id: impl Into<String>) -> Self {
        self.filters.provider_id = Some(id.into());
        self
    }

    /// `filter`: `future` (Healthie's default), `past`, `ended`, `didnt-occur`.
    pub fn filter(mut self, filter: impl Into<String>) -> Self {
        self.filters.filter = Some(filter.into());
        self
    }

    /// Appointments between `start` and `end` (`startDate`/`endDate`, which Healthie takes
    /// only together: ISO 8601 date-times from `2026-01-01`, dates in the baseline).
    pub fn between(mut self, start: impl Into<String>, end: impl Into<String>) -> Self {
        let (start, end) = (start.into(), end.into());
        if start.trim().is_empty() || end.trim().is_empty() {
            self.error = Some("both ends of the date range are needed".into());
        }
        self.filters.start_date = Some(start);
        self.filters.end_date = Some(end);
        self
    }

    /// The order (`order_by`).
    pub fn order_by(mut self, order: AppointmentOrder) -> Self {
        self.filters.order_by = Some(order);
        self
    }

    /// All providers of the organization (`is_org: true`).
    pub fn whole_organization(mut self, on: bool) -> Self {
        self.filters.is_org = Some(on);
        self
    }

    /// Keyword search (`keywords`).
    pub fn keywords(mut self, keywords: impl Into<String>) -> Self {
        self.filters.keywords = Some(keywords.into());
        self
    }

    /// Include every status, not only active appointments (`with_all_statuses`).
    pub fn with_all_statuses(mut self, on: bool) -> Self {
        self.filters.with_all_statuses = Some(on);
        self
    }

    /// Only these statuses (`filter_by_appointment_statuses`, for example `"Occurred"`).
    pub fn statuses<S: Into<String>>(mut self, statuses: impl IntoIterator<Item = S>) -> Self {
        self.filters.filter_by_appointment_statuses =
            Some(statuses.into_iter().map(Into::into).collect());
        self
    }
}
