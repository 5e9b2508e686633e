//! [`EventType`]: every `WebhookEventType` of the 2026-01-01 schema, in both spellings.

use std::borrow::Cow;

/// Declares [`EventType`] from `Variant = "delivery.form" / "GRAPHQL_FORM"` lines: the open
/// enum itself (serialized as the delivery form) plus the GraphQL-name table.
macro_rules! event_types {
    ($($(#[$vmeta:meta])* $variant:ident = $wire:literal / $gql:literal,)*) => {
        client_core::open_enum! {
            /// A Healthie webhook event type: the `event_type` of a delivery and what a webhook
            /// subscribes to.
            ///
            /// Every value of the schema's `WebhookEventType` enum (2026-01-01, 179 values) is
            /// a variant; any other string is kept in [`EventType::Unknown`] exactly as sent
            /// (the list grows, and third-party code uses names outside it, such as
            /// `appointment.cancelled`). It (de)serializes as the **delivery form**, the
            /// dotted lower-case `appointment.created`; [`EventType::graphql_name`] gives
            /// the GraphQL enum value `APPOINTMENT_CREATED` (always the delivery form with
            /// `.` replaced by `_`, upper-cased), and [`EventType::from_graphql_name`] reads
            /// it back. Parsing a string also accepts the GraphQL form of a known value.
            ///
            /// The four AI-Scribe events of the Zoom integration are
            /// [`EventType::AppointmentTranscriptAvailable`] (`appointment.transcript_available`),
            /// [`EventType::AppointmentRecordingStarted`] (`appointment.recording_started`),
            /// [`EventType::AppointmentRecordingStopped`] (`appointment.recording_stopped`) and
            /// [`EventType::AppointmentParticipantJoined`] (`appointment.participant_joined`).
            ///
            /// ```
            /// use healthie_client::webhooks::EventType;
            /// let t = EventType::from("appointment.transcript_available");
            /// assert_eq!(t, EventType::AppointmentTranscriptAvailable);
            /// assert_eq!(t.graphql_name(), "APPOINTMENT_TRANSCRIPT_AVAILABLE");
            /// assert_eq!(
            ///     EventType::from_graphql_name("APPOINTMENT_TRANSCRIPT_AVAILABLE"),
            ///     Some(t)
            /// );
            /// assert_eq!(EventType::from("APPOINTMENT_CREATED"), EventType::AppointmentCreated);
            /// assert!(EventType::from("appointment.cancelled").is_unknown());
            /// ```
            pub enum EventType: normalize(graphql_to_delivery) {
                $($(#[$vmeta])* $variant = $wire,)*
            }
        }

        /// The delivery form of a known GraphQL name, else `s` unchanged.
        fn graphql_to_delivery(s: &str) -> &str {
            match s {
                $($gql => $wire,)*
                _ => s,
            }
        }

        impl EventType {
            /// The `WebhookEventType` GraphQL enum value, such as `APPOINTMENT_CREATED`. For an
            /// [`EventType::Unknown`] it is derived by the same rule (`.` → `_`, upper case).
            pub fn graphql_name(&self) -> Cow<'_, str> {
                match self {
                    $(EventType::$variant => Cow::Borrowed($gql),)*
                    EventType::Unknown(other) => {
                        Cow::Owned(other.replace('.', "_").to_ascii_uppercase())
                    }
                }
            }

            /// The event type for a `WebhookEventType` GraphQL enum value (exact, upper case).
            /// `None` for a name this version does not know: its delivery form cannot be
            /// derived, because resource names contain `_` too.
            pub fn from_graphql_name(name: &str) -> Option<EventType> {
                match name {
                    $($gql => Some(EventType::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

/// An event type in either wire form: a `WebhookEventType` enum value (`APPOINTMENT_CREATED`,
/// `2026-01-01`) or the delivery's dotted string (`appointment.created`, the baseline and
/// deliveries).
pub(crate) fn event_type_from_wire(raw: &str) -> EventType {
    // `EventType` reads both spellings.
    EventType::from(raw)
}

impl EventType {
    /// The resource part of the delivery form: `appointment` for `appointment.created`
    /// (everything before the first `.`; the whole string if there is none).
    pub fn resource(&self) -> &str {
        let s = self.as_str();
        s.split_once('.').map_or(s, |(resource, _)| resource)
    }

    /// The action part of the delivery form: `created` for `appointment.created`
    /// (`None` without a `.`).
    pub fn action(&self) -> Option<&str> {
        self.as_str().split_once('.').map(|(_, action)| action)
    }

    /// Whether this is one of the four AI-Scribe events (transcript available, recording
    /// started or stopped, participant joined).
    pub fn is_ai_scribe(&self) -> bool {
        matches!(
            self,
            EventType::AppointmentTranscriptAvailable
                | EventType::AppointmentRecordingStarted
                | EventType::AppointmentRecordingStopped
                | EventType::AppointmentParticipantJoined
        )
    }
}

event_types! {
    /// `accepted_insurance_plan.created`.
    AcceptedInsurancePlanCreated = "accepted_insurance_plan.created" / "ACCEPTED_INSURANCE_PLAN_CREATED",
    /// `accepted_insurance_plan.deleted`.
    AcceptedInsurancePlanDeleted = "accepted_insurance_plan.deleted" / "ACCEPTED_INSURANCE_PLAN_DELETED",
    /// `allergy_sensitivity.created`.
    AllergySensitivityCreated = "allergy_sensitivity.created" / "ALLERGY_SENSITIVITY_CREATED",
    /// `allergy_sensitivity.deleted`.
    AllergySensitivityDeleted = "allergy_sensitivity.deleted" / "ALLERGY_SENSITIVITY_DELETED",
    /// `allergy_sensitivity.updated`.
    AllergySensitivityUpdated = "allergy_sensitivity.updated" / "ALLERGY_SENSITIVITY_UPDATED",
    /// `applied_tag.created`.
    AppliedTagCreated = "applied_tag.created" / "APPLIED_TAG_CREATED",
    /// `applied_tag.deleted`.
    AppliedTagDeleted = "applied_tag.deleted" / "APPLIED_TAG_DELETED",
    /// `appointment.created`.
    AppointmentCreated = "appointment.created" / "APPOINTMENT_CREATED",
    /// `appointment.deleted`.
    AppointmentDeleted = "appointment.deleted" / "APPOINTMENT_DELETED",
    /// `appointment.participant_joined`. AI Scribe: someone joined the appointment's Zoom meeting; the payload adds `host_user_id`, `user_name`, `user_email` and `event_ts`.
    AppointmentParticipantJoined = "appointment.participant_joined" / "APPOINTMENT_PARTICIPANT_JOINED",
    /// `appointment.participant_left`. Someone left the appointment's Zoom meeting; the payload adds `host_user_id`, `user_name`, `user_email` and `event_ts`.
    AppointmentParticipantLeft = "appointment.participant_left" / "APPOINTMENT_PARTICIPANT_LEFT",
    /// `appointment.patient_added`.
    AppointmentPatientAdded = "appointment.patient_added" / "APPOINTMENT_PATIENT_ADDED",
    /// `appointment.patient_removed`.
    AppointmentPatientRemoved = "appointment.patient_removed" / "APPOINTMENT_PATIENT_REMOVED",
    /// `appointment.recording_completed`.
    AppointmentRecordingCompleted = "appointment.recording_completed" / "APPOINTMENT_RECORDING_COMPLETED",
    /// `appointment.recording_started`. AI Scribe: recording began in the appointment's Zoom meeting.
    AppointmentRecordingStarted = "appointment.recording_started" / "APPOINTMENT_RECORDING_STARTED",
    /// `appointment.recording_stopped`. AI Scribe: recording ended in the appointment's Zoom meeting (the transcript may still be processing).
    AppointmentRecordingStopped = "appointment.recording_stopped" / "APPOINTMENT_RECORDING_STOPPED",
    /// `appointment.transcript_available`. AI Scribe: a transcript of the appointment's Zoom meeting is available (real-time capture finished, or a cloud-recording transcript is ready, usually hours after the meeting); sent whatever the provider's AI Scribe settings.
    AppointmentTranscriptAvailable = "appointment.transcript_available" / "APPOINTMENT_TRANSCRIPT_AVAILABLE",
    /// `appointment.transcript_failed`.
    AppointmentTranscriptFailed = "appointment.transcript_failed" / "APPOINTMENT_TRANSCRIPT_FAILED",
    /// `appointment.transcript_started`.
    AppointmentTranscriptStarted = "appointment.transcript_started" / "APPOINTMENT_TRANSCRIPT_STARTED",
    /// `appointment.updated`.
    AppointmentUpdated = "appointment.updated" / "APPOINTMENT_UPDATED",
    /// `appointment_form_answer_group_connection.created`.
    AppointmentFormAnswerGroupConnectionCreated = "appointment_form_answer_group_connection.created" / "APPOINTMENT_FORM_ANSWER_GROUP_CONNECTION_CREATED",
    /// `appointment_form_answer_group_connection.deleted`.
    AppointmentFormAnswerGroupConnectionDeleted = "appointment_form_answer_group_connection.deleted" / "APPOINTMENT_FORM_ANSWER_GROUP_CONNECTION_DELETED",
    /// `appointment_form_answer_group_connection.updated`.
    AppointmentFormAnswerGroupConnectionUpdated = "appointment_form_answer_group_connection.updated" / "APPOINTMENT_FORM_ANSWER_GROUP_CONNECTION_UPDATED",
    /// `availability.created`.
    AvailabilityCreated = "availability.created" / "AVAILABILITY_CREATED",
    /// `availability.deleted`.
    AvailabilityDeleted = "availability.deleted" / "AVAILABILITY_DELETED",
    /// `availability.updated`.
    AvailabilityUpdated = "availability.updated" / "AVAILABILITY_UPDATED",
    /// `billing_item.created`.
    BillingItemCreated = "billing_item.created" / "BILLING_ITEM_CREATED",
    /// `billing_item.deleted`.
    BillingItemDeleted = "billing_item.deleted" / "BILLING_ITEM_DELETED",
    /// `billing_item.updated`.
    BillingItemUpdated = "billing_item.updated" / "BILLING_ITEM_UPDATED",
    /// `care_plan.activated`.
    CarePlanActivated = "care_plan.activated" / "CARE_PLAN_ACTIVATED",
    /// `care_plan.created`.
    CarePlanCreated = "care_plan.created" / "CARE_PLAN_CREATED",
    /// `care_plan.deactivated`.
    CarePlanDeactivated = "care_plan.deactivated" / "CARE_PLAN_DEACTIVATED",
    /// `care_plan.deleted`.
    CarePlanDeleted = "care_plan.deleted" / "CARE_PLAN_DELETED",
    /// `care_plan.updated`.
    CarePlanUpdated = "care_plan.updated" / "CARE_PLAN_UPDATED",
    /// `charge_back.created`.
    ChargeBackCreated = "charge_back.created" / "CHARGE_BACK_CREATED",
    /// `charge_back.deleted`.
    ChargeBackDeleted = "charge_back.deleted" / "CHARGE_BACK_DELETED",
    /// `charge_back.updated`.
    ChargeBackUpdated = "charge_back.updated" / "CHARGE_BACK_UPDATED",
    /// `charting_note_addendum.created`.
    ChartingNoteAddendumCreated = "charting_note_addendum.created" / "CHARTING_NOTE_ADDENDUM_CREATED",
    /// `charting_note_addendum.deleted`.
    ChartingNoteAddendumDeleted = "charting_note_addendum.deleted" / "CHARTING_NOTE_ADDENDUM_DELETED",
    /// `charting_note_addendum.updated`.
    ChartingNoteAddendumUpdated = "charting_note_addendum.updated" / "CHARTING_NOTE_ADDENDUM_UPDATED",
    /// `claim_submission.created`.
    ClaimSubmissionCreated = "claim_submission.created" / "CLAIM_SUBMISSION_CREATED",
    /// `claim_submission.deleted`.
    ClaimSubmissionDeleted = "claim_submission.deleted" / "CLAIM_SUBMISSION_DELETED",
    /// `claim_submission.updated`.
    ClaimSubmissionUpdated = "claim_submission.updated" / "CLAIM_SUBMISSION_UPDATED",
    /// `cms1500.created`.
    Cms1500Created = "cms1500.created" / "CMS1500_CREATED",
    /// `cms1500.deleted`.
    Cms1500Deleted = "cms1500.deleted" / "CMS1500_DELETED",
    /// `cms1500.updated`.
    Cms1500Updated = "cms1500.updated" / "CMS1500_UPDATED",
    /// `comment.created`.
    CommentCreated = "comment.created" / "COMMENT_CREATED",
    /// `comment.deleted`.
    CommentDeleted = "comment.deleted" / "COMMENT_DELETED",
    /// `comment.updated`.
    CommentUpdated = "comment.updated" / "COMMENT_UPDATED",
    /// `completed_onboarding_item.created`.
    CompletedOnboardingItemCreated = "completed_onboarding_item.created" / "COMPLETED_ONBOARDING_ITEM_CREATED",
    /// `completed_onboarding_item.deleted`.
    CompletedOnboardingItemDeleted = "completed_onboarding_item.deleted" / "COMPLETED_ONBOARDING_ITEM_DELETED",
    /// `completed_onboarding_item.updated`.
    CompletedOnboardingItemUpdated = "completed_onboarding_item.updated" / "COMPLETED_ONBOARDING_ITEM_UPDATED",
    /// `conversation.created`.
    ConversationCreated = "conversation.created" / "CONVERSATION_CREATED",
    /// `conversation.updated`.
    ConversationUpdated = "conversation.updated" / "CONVERSATION_UPDATED",
    /// `conversation_membership.created`.
    ConversationMembershipCreated = "conversation_membership.created" / "CONVERSATION_MEMBERSHIP_CREATED",
    /// `conversation_membership.deleted`.
    ConversationMembershipDeleted = "conversation_membership.deleted" / "CONVERSATION_MEMBERSHIP_DELETED",
    /// `conversation_membership.viewed`.
    ConversationMembershipViewed = "conversation_membership.viewed" / "CONVERSATION_MEMBERSHIP_VIEWED",
    /// `course_membership.created`.
    CourseMembershipCreated = "course_membership.created" / "COURSE_MEMBERSHIP_CREATED",
    /// `course_membership.deleted`.
    CourseMembershipDeleted = "course_membership.deleted" / "COURSE_MEMBERSHIP_DELETED",
    /// `course_membership.updated`.
    CourseMembershipUpdated = "course_membership.updated" / "COURSE_MEMBERSHIP_UPDATED",
    /// `custom_module.created`.
    CustomModuleCreated = "custom_module.created" / "CUSTOM_MODULE_CREATED",
    /// `custom_module.deleted`.
    CustomModuleDeleted = "custom_module.deleted" / "CUSTOM_MODULE_DELETED",
    /// `custom_module.updated`.
    CustomModuleUpdated = "custom_module.updated" / "CUSTOM_MODULE_UPDATED",
    /// `custom_module_form.created`.
    CustomModuleFormCreated = "custom_module_form.created" / "CUSTOM_MODULE_FORM_CREATED",
    /// `custom_module_form.deleted`.
    CustomModuleFormDeleted = "custom_module_form.deleted" / "CUSTOM_MODULE_FORM_DELETED",
    /// `custom_module_form.updated`.
    CustomModuleFormUpdated = "custom_module_form.updated" / "CUSTOM_MODULE_FORM_UPDATED",
    /// `diagnosis.created`.
    DiagnosisCreated = "diagnosis.created" / "DIAGNOSIS_CREATED",
    /// `diagnosis.deleted`.
    DiagnosisDeleted = "diagnosis.deleted" / "DIAGNOSIS_DELETED",
    /// `diagnosis.updated`.
    DiagnosisUpdated = "diagnosis.updated" / "DIAGNOSIS_UPDATED",
    /// `document.created`.
    DocumentCreated = "document.created" / "DOCUMENT_CREATED",
    /// `document.deleted`.
    DocumentDeleted = "document.deleted" / "DOCUMENT_DELETED",
    /// `document.updated`.
    DocumentUpdated = "document.updated" / "DOCUMENT_UPDATED",
    /// `dosespot_notification.created`.
    DosespotNotificationCreated = "dosespot_notification.created" / "DOSESPOT_NOTIFICATION_CREATED",
    /// `entry.created`.
    EntryCreated = "entry.created" / "ENTRY_CREATED",
    /// `entry.deleted`.
    EntryDeleted = "entry.deleted" / "ENTRY_DELETED",
    /// `entry.updated`.
    EntryUpdated = "entry.updated" / "ENTRY_UPDATED",
    /// `external_calendar.authorization_error`.
    ExternalCalendarAuthorizationError = "external_calendar.authorization_error" / "EXTERNAL_CALENDAR_AUTHORIZATION_ERROR",
    /// `family_history_condition.created`.
    FamilyHistoryConditionCreated = "family_history_condition.created" / "FAMILY_HISTORY_CONDITION_CREATED",
    /// `family_history_condition.deleted`.
    FamilyHistoryConditionDeleted = "family_history_condition.deleted" / "FAMILY_HISTORY_CONDITION_DELETED",
    /// `family_history_condition.updated`.
    FamilyHistoryConditionUpdated = "family_history_condition.updated" / "FAMILY_HISTORY_CONDITION_UPDATED",
    /// `feature_toggle.created`.
    FeatureToggleCreated = "feature_toggle.created" / "FEATURE_TOGGLE_CREATED",
    /// `feature_toggle.deleted`.
    FeatureToggleDeleted = "feature_toggle.deleted" / "FEATURE_TOGGLE_DELETED",
    /// `feature_toggle.updated`.
    FeatureToggleUpdated = "feature_toggle.updated" / "FEATURE_TOGGLE_UPDATED",
    /// `folder_sharing.created`.
    FolderSharingCreated = "folder_sharing.created" / "FOLDER_SHARING_CREATED",
    /// `folder_sharing.deleted`.
    FolderSharingDeleted = "folder_sharing.deleted" / "FOLDER_SHARING_DELETED",
    /// `form_answer_group.created`.
    FormAnswerGroupCreated = "form_answer_group.created" / "FORM_ANSWER_GROUP_CREATED",
    /// `form_answer_group.deleted`.
    FormAnswerGroupDeleted = "form_answer_group.deleted" / "FORM_ANSWER_GROUP_DELETED",
    /// `form_answer_group.locked`.
    FormAnswerGroupLocked = "form_answer_group.locked" / "FORM_ANSWER_GROUP_LOCKED",
    /// `form_answer_group.signed`.
    FormAnswerGroupSigned = "form_answer_group.signed" / "FORM_ANSWER_GROUP_SIGNED",
    /// `form_answer_group.unlocked`.
    FormAnswerGroupUnlocked = "form_answer_group.unlocked" / "FORM_ANSWER_GROUP_UNLOCKED",
    /// `generated_form_answer_group.converted`.
    GeneratedFormAnswerGroupConverted = "generated_form_answer_group.converted" / "GENERATED_FORM_ANSWER_GROUP_CONVERTED",
    /// `generated_form_answer_group.created`.
    GeneratedFormAnswerGroupCreated = "generated_form_answer_group.created" / "GENERATED_FORM_ANSWER_GROUP_CREATED",
    /// `generated_form_answer_group.deleted`.
    GeneratedFormAnswerGroupDeleted = "generated_form_answer_group.deleted" / "GENERATED_FORM_ANSWER_GROUP_DELETED",
    /// `generated_form_answer_group.rejected`.
    GeneratedFormAnswerGroupRejected = "generated_form_answer_group.rejected" / "GENERATED_FORM_ANSWER_GROUP_REJECTED",
    /// `generated_form_answer_group.updated`.
    GeneratedFormAnswerGroupUpdated = "generated_form_answer_group.updated" / "GENERATED_FORM_ANSWER_GROUP_UPDATED",
    /// `goal.created`.
    GoalCreated = "goal.created" / "GOAL_CREATED",
    /// `goal.deleted`.
    GoalDeleted = "goal.deleted" / "GOAL_DELETED",
    /// `goal.updated`.
    GoalUpdated = "goal.updated" / "GOAL_UPDATED",
    /// `goal_history.created`.
    GoalHistoryCreated = "goal_history.created" / "GOAL_HISTORY_CREATED",
    /// `goal_history.deleted`.
    GoalHistoryDeleted = "goal_history.deleted" / "GOAL_HISTORY_DELETED",
    /// `goal_template.created`.
    GoalTemplateCreated = "goal_template.created" / "GOAL_TEMPLATE_CREATED",
    /// `goal_template.deleted`.
    GoalTemplateDeleted = "goal_template.deleted" / "GOAL_TEMPLATE_DELETED",
    /// `goal_template.updated`.
    GoalTemplateUpdated = "goal_template.updated" / "GOAL_TEMPLATE_UPDATED",
    /// `insurance_authorization.created`.
    InsuranceAuthorizationCreated = "insurance_authorization.created" / "INSURANCE_AUTHORIZATION_CREATED",
    /// `insurance_authorization.deleted`.
    InsuranceAuthorizationDeleted = "insurance_authorization.deleted" / "INSURANCE_AUTHORIZATION_DELETED",
    /// `insurance_authorization.updated`.
    InsuranceAuthorizationUpdated = "insurance_authorization.updated" / "INSURANCE_AUTHORIZATION_UPDATED",
    /// `lab_order.created`.
    LabOrderCreated = "lab_order.created" / "LAB_ORDER_CREATED",
    /// `lab_order.updated`.
    LabOrderUpdated = "lab_order.updated" / "LAB_ORDER_UPDATED",
    /// `lab_result.created`.
    LabResultCreated = "lab_result.created" / "LAB_RESULT_CREATED",
    /// `lab_result.updated`.
    LabResultUpdated = "lab_result.updated" / "LAB_RESULT_UPDATED",
    /// `location.created`.
    LocationCreated = "location.created" / "LOCATION_CREATED",
    /// `location.deleted`.
    LocationDeleted = "location.deleted" / "LOCATION_DELETED",
    /// `location.updated`.
    LocationUpdated = "location.updated" / "LOCATION_UPDATED",
    /// `medication.created`.
    MedicationCreated = "medication.created" / "MEDICATION_CREATED",
    /// `medication.deleted`.
    MedicationDeleted = "medication.deleted" / "MEDICATION_DELETED",
    /// `medication.updated`.
    MedicationUpdated = "medication.updated" / "MEDICATION_UPDATED",
    /// `message.created`.
    MessageCreated = "message.created" / "MESSAGE_CREATED",
    /// `message.deleted`.
    MessageDeleted = "message.deleted" / "MESSAGE_DELETED",
    /// `metric_entry.created`.
    MetricEntryCreated = "metric_entry.created" / "METRIC_ENTRY_CREATED",
    /// `metric_entry.deleted`.
    MetricEntryDeleted = "metric_entry.deleted" / "METRIC_ENTRY_DELETED",
    /// `metric_entry.updated`.
    MetricEntryUpdated = "metric_entry.updated" / "METRIC_ENTRY_UPDATED",
    /// `notification_contact.created`.
    NotificationContactCreated = "notification_contact.created" / "NOTIFICATION_CONTACT_CREATED",
    /// `notification_contact.deleted`.
    NotificationContactDeleted = "notification_contact.deleted" / "NOTIFICATION_CONTACT_DELETED",
    /// `notification_contact.updated`.
    NotificationContactUpdated = "notification_contact.updated" / "NOTIFICATION_CONTACT_UPDATED",
    /// `notification_setting.created`.
    NotificationSettingCreated = "notification_setting.created" / "NOTIFICATION_SETTING_CREATED",
    /// `notification_setting.deleted`.
    NotificationSettingDeleted = "notification_setting.deleted" / "NOTIFICATION_SETTING_DELETED",
    /// `notification_setting.updated`.
    NotificationSettingUpdated = "notification_setting.updated" / "NOTIFICATION_SETTING_UPDATED",
    /// `organization_info.created`.
    OrganizationInfoCreated = "organization_info.created" / "ORGANIZATION_INFO_CREATED",
    /// `organization_info.deleted`.
    OrganizationInfoDeleted = "organization_info.deleted" / "ORGANIZATION_INFO_DELETED",
    /// `organization_info.updated`.
    OrganizationInfoUpdated = "organization_info.updated" / "ORGANIZATION_INFO_UPDATED",
    /// `organization_member.updated`.
    OrganizationMemberUpdated = "organization_member.updated" / "ORGANIZATION_MEMBER_UPDATED",
    /// `organization_membership.created`.
    OrganizationMembershipCreated = "organization_membership.created" / "ORGANIZATION_MEMBERSHIP_CREATED",
    /// `organization_membership.updated`.
    OrganizationMembershipUpdated = "organization_membership.updated" / "ORGANIZATION_MEMBERSHIP_UPDATED",
    /// `other_id_number.created`.
    OtherIdNumberCreated = "other_id_number.created" / "OTHER_ID_NUMBER_CREATED",
    /// `other_id_number.deleted`.
    OtherIdNumberDeleted = "other_id_number.deleted" / "OTHER_ID_NUMBER_DELETED",
    /// `other_id_number.updated`.
    OtherIdNumberUpdated = "other_id_number.updated" / "OTHER_ID_NUMBER_UPDATED",
    /// `patient.created`.
    PatientCreated = "patient.created" / "PATIENT_CREATED",
    /// `patient.merged`.
    PatientMerged = "patient.merged" / "PATIENT_MERGED",
    /// `patient.updated`.
    PatientUpdated = "patient.updated" / "PATIENT_UPDATED",
    /// `patient_educational_resource.created`.
    PatientEducationalResourceCreated = "patient_educational_resource.created" / "PATIENT_EDUCATIONAL_RESOURCE_CREATED",
    /// `patient_educational_resource.deleted`.
    PatientEducationalResourceDeleted = "patient_educational_resource.deleted" / "PATIENT_EDUCATIONAL_RESOURCE_DELETED",
    /// `patient_educational_resource.updated`.
    PatientEducationalResourceUpdated = "patient_educational_resource.updated" / "PATIENT_EDUCATIONAL_RESOURCE_UPDATED",
    /// `policy.created`.
    PolicyCreated = "policy.created" / "POLICY_CREATED",
    /// `policy.deleted`.
    PolicyDeleted = "policy.deleted" / "POLICY_DELETED",
    /// `policy.updated`.
    PolicyUpdated = "policy.updated" / "POLICY_UPDATED",
    /// `prescription.medication_status_updated`.
    PrescriptionMedicationStatusUpdated = "prescription.medication_status_updated" / "PRESCRIPTION_MEDICATION_STATUS_UPDATED",
    /// `prescription.updated`.
    PrescriptionUpdated = "prescription.updated" / "PRESCRIPTION_UPDATED",
    /// `received_direct_message.created`.
    ReceivedDirectMessageCreated = "received_direct_message.created" / "RECEIVED_DIRECT_MESSAGE_CREATED",
    /// `received_fax.created`.
    ReceivedFaxCreated = "received_fax.created" / "RECEIVED_FAX_CREATED",
    /// `recurring_payment.created`.
    RecurringPaymentCreated = "recurring_payment.created" / "RECURRING_PAYMENT_CREATED",
    /// `recurring_payment.updated`.
    RecurringPaymentUpdated = "recurring_payment.updated" / "RECURRING_PAYMENT_UPDATED",
    /// `referral.created`.
    ReferralCreated = "referral.created" / "REFERRAL_CREATED",
    /// `referral.deleted`.
    ReferralDeleted = "referral.deleted" / "REFERRAL_DELETED",
    /// `referral.updated`.
    ReferralUpdated = "referral.updated" / "REFERRAL_UPDATED",
    /// `referring_physician.created`.
    ReferringPhysicianCreated = "referring_physician.created" / "REFERRING_PHYSICIAN_CREATED",
    /// `referring_physician.deleted`.
    ReferringPhysicianDeleted = "referring_physician.deleted" / "REFERRING_PHYSICIAN_DELETED",
    /// `referring_physician.updated`.
    ReferringPhysicianUpdated = "referring_physician.updated" / "REFERRING_PHYSICIAN_UPDATED",
    /// `requested_form_completion.created`.
    RequestedFormCompletionCreated = "requested_form_completion.created" / "REQUESTED_FORM_COMPLETION_CREATED",
    /// `requested_form_completion.deleted`.
    RequestedFormCompletionDeleted = "requested_form_completion.deleted" / "REQUESTED_FORM_COMPLETION_DELETED",
    /// `requested_form_completion.updated`.
    RequestedFormCompletionUpdated = "requested_form_completion.updated" / "REQUESTED_FORM_COMPLETION_UPDATED",
    /// `requested_payment.created`.
    RequestedPaymentCreated = "requested_payment.created" / "REQUESTED_PAYMENT_CREATED",
    /// `requested_payment.deleted`.
    RequestedPaymentDeleted = "requested_payment.deleted" / "REQUESTED_PAYMENT_DELETED",
    /// `requested_payment.updated`.
    RequestedPaymentUpdated = "requested_payment.updated" / "REQUESTED_PAYMENT_UPDATED",
    /// `scheduled_message.sent`.
    ScheduledMessageSent = "scheduled_message.sent" / "SCHEDULED_MESSAGE_SENT",
    /// `sent_fax.created`.
    SentFaxCreated = "sent_fax.created" / "SENT_FAX_CREATED",
    /// `sent_fax.status_changed`.
    SentFaxStatusChanged = "sent_fax.status_changed" / "SENT_FAX_STATUS_CHANGED",
    /// `sent_fax.updated`.
    SentFaxUpdated = "sent_fax.updated" / "SENT_FAX_UPDATED",
    /// `sent_notification_record.created`.
    SentNotificationRecordCreated = "sent_notification_record.created" / "SENT_NOTIFICATION_RECORD_CREATED",
    /// `sent_notification_record.updated`.
    SentNotificationRecordUpdated = "sent_notification_record.updated" / "SENT_NOTIFICATION_RECORD_UPDATED",
    /// `stripe_customer_detail.created`.
    StripeCustomerDetailCreated = "stripe_customer_detail.created" / "STRIPE_CUSTOMER_DETAIL_CREATED",
    /// `stripe_customer_detail.deleted`.
    StripeCustomerDetailDeleted = "stripe_customer_detail.deleted" / "STRIPE_CUSTOMER_DETAIL_DELETED",
    /// `stripe_customer_detail.updated`.
    StripeCustomerDetailUpdated = "stripe_customer_detail.updated" / "STRIPE_CUSTOMER_DETAIL_UPDATED",
    /// `super_bill.created`.
    SuperBillCreated = "super_bill.created" / "SUPER_BILL_CREATED",
    /// `super_bill.deleted`.
    SuperBillDeleted = "super_bill.deleted" / "SUPER_BILL_DELETED",
    /// `super_bill.updated`.
    SuperBillUpdated = "super_bill.updated" / "SUPER_BILL_UPDATED",
    /// `task.created`.
    TaskCreated = "task.created" / "TASK_CREATED",
    /// `task.deleted`.
    TaskDeleted = "task.deleted" / "TASK_DELETED",
    /// `task.updated`.
    TaskUpdated = "task.updated" / "TASK_UPDATED",
    /// `test.created`.
    TestCreated = "test.created" / "TEST_CREATED",
}
