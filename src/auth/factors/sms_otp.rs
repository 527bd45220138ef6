//! Codes by SMS as a second factor (`sms_otp`): the same as codes by email
//! (`email_otp::CodeFactor`, whose docs say who may do what), sent to the user's verified
//! phone number. RFC 8176 counts them as `sms`.
use super::email_otp::CodeFactor;
use crate::delivery::Channel;

pub static SMS_OTP: CodeFactor = CodeFactor { name: crate::auth::assurance::SMS_OTP, channel: Channel::Sms };
