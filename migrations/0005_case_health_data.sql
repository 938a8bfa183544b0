-- SEC-1: health data in a case (the assessment: measurements, conclusions, reasons) is encrypted at
-- rest, apart from the case's operational data.
ALTER TABLE case_file ADD COLUMN health_enc text;
-- What each action was given (reasons, findings, measurements) can be personal or health data too:
-- history payloads are stored encrypted.
ALTER TABLE case_event ADD COLUMN payload_enc text;
ALTER TABLE case_event DROP COLUMN payload;
