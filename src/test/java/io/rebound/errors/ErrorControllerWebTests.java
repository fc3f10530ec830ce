package io.rebound.errors;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.rebound.web.Cursor;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * The errors API's refusals, on the web layer alone: what the controller and the
 * problem-details advice answer before any query runs. The journeys through stored errors
 * are in {@link ErrorsApiIntegrationTests}.
 */
@WebMvcTest(ErrorController.class)
@AutoConfigureMockMvc(addFilters = false)
class ErrorControllerWebTests {

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	ErrorQueries queries;

	@MockitoBean
	ErrorLifecycle lifecycle;

	@Test
	void unknownFilterValuesAndParametersAreBadRequestsThatSayWhy() {
		for (String query : List.of("severity=urgent", "min_severity=loud", "status=gone", "category=weather",
				"since=yesterday", "limit=0", "limit=501", "cursor=garbage", "sevrity=high")) {
			assertThat(this.mvc.get().uri("/api/errors?" + query)).as(query)
				.hasStatus(HttpStatus.BAD_REQUEST)
				.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
				.bodyJson()
				.extractingPath("$.detail")
				.asString()
				.isNotBlank();
		}
		verifyNoInteractions(this.queries);
	}

	@Test
	void anEventsPageRefusesACursorOfTheErrorsListingAndBadLimits() {
		UUID id = UUID.randomUUID();
		given(this.queries.exists(id)).willReturn(true);
		String listCursor = Cursor.encode(ErrorQueries.ERRORS, 1L, "2026-01-01T00:00:00Z", UUID.randomUUID());

		for (String query : List.of("cursor=" + listCursor, "limit=0", "limit=ten", "sort=newest")) {
			assertThat(this.mvc.get().uri("/api/errors/" + id + "/events?" + query)).as(query)
				.hasStatus(HttpStatus.BAD_REQUEST)
				.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		}
	}

	@Test
	void anUnknownIdIsNotFoundAsProblemDetails() {
		UUID id = UUID.randomUUID();
		given(this.queries.get(id)).willReturn(Optional.empty());

		assertThat(this.mvc.get().uri("/api/errors/" + id)).hasStatus(HttpStatus.NOT_FOUND)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.extractingPath("$.type")
			.asString()
			.isEqualTo("urn:rebound:problem:not-found");
		assertThat(this.mvc.get().uri("/api/errors/" + id + "/events")).hasStatus(HttpStatus.NOT_FOUND);
	}

	@Test
	void aMalformedIdIsABadRequestNotAServerError() {
		assertThat(this.mvc.get().uri("/api/errors/not-a-uuid")).hasStatus(HttpStatus.BAD_REQUEST)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
	}

}
