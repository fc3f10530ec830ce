package io.rebound.errors;

import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

interface ErrorGroupRepository extends Repository<ErrorGroup, UUID> {

	/** Locks the row so that a concurrent ingest batch cannot regress it mid-change. */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select e from ErrorGroup e where e.id = :id")
	Optional<ErrorGroup> lockById(UUID id);

}
