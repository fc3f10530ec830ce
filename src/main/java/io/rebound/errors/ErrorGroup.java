package io.rebound.errors;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;

/**
 * An error's lifecycle, as the management side changes it. Only the lifecycle columns are
 * mapped; counts and times belong to the ingest path, and {@link DynamicUpdate} keeps an
 * update from writing columns it did not change.
 */
@Entity
@Table(name = "errors")
@DynamicUpdate
class ErrorGroup {

	@Id
	private UUID id;

	@Convert(converter = StatusConverter.class)
	private ErrorStatus status;

	private Instant resolvedAt;

	private String resolvedBy;

	private String resolutionNote;

	private Instant updatedAt;

	protected ErrorGroup() {
	}

	UUID id() {
		return this.id;
	}

	void resolve(String by, String note, Instant now) {
		this.status = ErrorStatus.RESOLVED;
		this.resolvedAt = now;
		this.resolvedBy = by;
		this.resolutionNote = note;
		this.updatedAt = now;
	}

	void reopen(Instant now) {
		this.status = ErrorStatus.OPEN;
		this.resolvedAt = null;
		this.resolvedBy = null;
		this.resolutionNote = null;
		this.updatedAt = now;
	}

	@Converter
	static class StatusConverter implements AttributeConverter<ErrorStatus, String> {

		@Override
		public String convertToDatabaseColumn(ErrorStatus status) {
			return status.wire();
		}

		@Override
		public ErrorStatus convertToEntityAttribute(String column) {
			return ErrorStatus.fromWire(column);
		}

	}

}
