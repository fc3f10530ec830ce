/**
 * Web: how every error a caller can cause leaves Rebound, as RFC 9457
 * {@code application/problem+json} with a stable {@code type}, from one advice.
 */
package io.rebound.web;
